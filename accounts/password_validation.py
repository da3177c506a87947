"""Password rules in Chinese.

Django 5.2 changed the msgid of the minimum-length message (``%d`` instead of
``%(min_length)d``) and its zh-hans catalogue still has only the old one, so that one
message came out in English on a Chinese page. The other validators' messages are
translated by Django and are used as they are.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码必须包含至少 {self.min_length} 个字符。"

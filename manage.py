#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")
    if not os.environ.get("SECRET_KEY"):
        # No secret: a developer's checkout, never production (which must set SECRET_KEY,
        # and citisa.settings_production refuses to start without one).
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

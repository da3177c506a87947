from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.views import safe_next

from . import services
from .forms import (
    AuthenticatorCodeForm,
    CodeForm,
    DisableTwoFactorForm,
    LoginForm,
    PasswordChangeForm,
)
from .middleware import STEP_URL_NAMES
from .permissions import can
from .selectors import (
    ENROL,
    VERIFY,
    pending_step,
    security_events_for,
    two_factor_status,
    workspace_for,
)

ENROL_SESSION_KEY = "citisa_enrol_device_id"
QR_LABEL = "两步验证二维码：请用身份验证器扫描"


class LoginView(auth_views.LoginView):
    """The password step. A user with an authenticator (or whose roles require one) is
    logged in but not verified, and is sent on to the second step with ``next`` kept."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        step = pending_step(self.request.user)
        if step is None:
            return response
        return redirect(_step_url(step, response.url))


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    """Each role's workspace: what the user holds and what is waiting for them."""
    return render(request, "accounts/home.html", {"workspace": workspace_for(request.user)})


def _step_url(step, next_url):
    return f"{reverse(STEP_URL_NAMES[step])}?{urlencode({'next': next_url})}"


def _next_url(request):
    return safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))


def _mark_verified(request, device):
    # A new session key for the elevated session (as login() does for the password step),
    # then the device id under django-otp's session key, exactly as django_otp.login sets it.
    request.session.cycle_key()
    django_otp.login(request, device)


@never_cache
@login_required
def two_factor_verify(request):
    """The second step: a code from the authenticator or a recovery code."""
    step = pending_step(request.user)
    if step != VERIFY:
        return redirect(_next_url(request) if step is None else _step_url(step, _next_url(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, code=form.cleaned_data["code"]
            )
        except services.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            _mark_verified(request, device)
            if device.model_label() == "otp_static.staticdevice":
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"您使用了一个恢复码，还剩 {left} 个。可在“账号安全”页重新生成。",
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request), "issuer": settings.OTP_TOTP_ISSUER},
    )


def _qr_svg(device) -> str:
    # Inline SVG markup (no image request, no data: URI, no style attributes: it passes a
    # CSP of img-src 'self' without inline styles). The secret is on the page as text too.
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        border=2,
        dark="#000",
        light="#fff",
        title=QR_LABEL,
        svgclass="qr-code",
        lineclass=None,
    )
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" ', 1)
    return mark_safe(labelled)  # noqa: S308 - segno's own markup, nothing from the user


def _secret_text(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def two_factor_enrol(request):
    """Set up an authenticator: scan, confirm with a code, then see the recovery codes once.

    Reached by users whose roles require it straight after the password step, and from the
    security page. A session that owes a code for an existing authenticator cannot use it
    (the middleware sends it to the code step)."""
    user = request.user
    if pending_step(user) == VERIFY:
        return redirect(_step_url(VERIFY, _next_url(request)))
    device = services.authenticator_start(
        user=user, device_id=request.session.get(ENROL_SESSION_KEY)
    )
    request.session[ENROL_SESSION_KEY] = device.pk
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.authenticator_confirm(
                user=user, device_id=device.pk, code=form.cleaned_data["code"]
            )
        except services.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(ENROL_SESSION_KEY, None)
            _mark_verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": _next_url(request),
            "required": pending_step(user) == ENROL,
        },
    )


@never_cache
@login_required
def security(request):
    """The user's own account security: second factor, recovery codes, password."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "status": two_factor_status(user),
            "may_disable": can(user, "account.two_factor_disable", user),
            "disable_form": DisableTwoFactorForm(),
            "events": security_events_for(user),
        },
    )


@never_cache
@require_POST
@login_required
def recovery_codes_regenerate(request):
    try:
        codes = services.recovery_codes_regenerate(user=request.user, actor=request.user)
    except services.TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:security"), "first_time": False},
    )


@require_POST
@login_required
def two_factor_disable(request):
    """Turn the second factor off; asks for the password or a current code."""
    user = request.user
    if not can(user, "account.two_factor_disable", user):
        raise PermissionDenied
    form = DisableTwoFactorForm(request.POST)
    proven = False
    if form.is_valid():
        secret = form.cleaned_data["secret"]
        if user.check_password(secret):
            proven = True
        else:
            try:
                services.second_factor_verify(user=user, code=secret)
                proven = True
            except services.TwoFactorError:
                pass
    if not proven:
        return render(
            request,
            "accounts/security.html",
            {
                "status": two_factor_status(user),
                "may_disable": True,
                "disable_form": form,
                "disable_error": "密码或验证码不正确，两步验证仍然开启。",
                "events": security_events_for(user),
            },
            status=400,
        )
    services.two_factor_disable(user=user, actor=user)
    messages.success(request, "两步验证已停用。登录时将只需要密码。")
    return redirect("accounts:security")


@never_cache
@login_required
def password_change(request):
    """Change one's password under the password rules; this session stays signed in (with
    a new key) and every other session of the user is signed out."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=request.user,
            new_password=form.cleaned_data["new_password1"],
            actor=request.user,
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。其他设备上的登录已全部退出。")
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})

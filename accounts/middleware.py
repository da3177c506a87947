"""Keep a half-logged-in session inside the second step of the login.

After the password step a user with an authenticator still owes a code (``VERIFY``), and a
user whose roles require two-factor login but who has no authenticator yet owes its set-up
(``ENROL``). Until then the session reaches only the pages on the allow-list below: every
other URL — pages, HTMX fragments, downloads, the admin — redirects to the step. Unknown
URLs still answer 404 (they reveal nothing), and static files are served before this runs.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .selectors import ENROL, VERIFY, pending_step

STEP_URL_NAMES = {VERIFY: "accounts:two_factor_verify", ENROL: "accounts:two_factor_enrol"}
# What a session may reach while it owes a step (besides the step's own page).
ALLOWED_URL_NAMES = frozenset({"accounts:logout", "health"})


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.two_factor_step = pending_step(request.user)
        if step is None:
            return None
        step_url_name = STEP_URL_NAMES[step]
        view_name = request.resolver_match.view_name
        if view_name == step_url_name or view_name in ALLOWED_URL_NAMES:
            return None
        url = reverse(step_url_name)
        if request.method == "GET" and not request.htmx:
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)

from .models import Role


def roles(request):
    """Expose the user's role codes and the Role enum to every template."""
    user = getattr(request, "user", None)
    held = user.roles if user is not None and user.is_authenticated else frozenset()
    # A session that still owes its second step is shown no role's navigation.
    pending = getattr(request, "two_factor_step", None)
    if pending:
        held = frozenset()
    return {"user_roles": held, "Role": Role, "two_factor_pending": pending}

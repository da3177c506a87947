from .models import Role


def roles(request):
    """Expose the user's role codes and the Role enum to every template."""
    user = getattr(request, "user", None)
    held = user.roles if user is not None and user.is_authenticated else frozenset()
    return {"user_roles": held, "Role": Role}

"""The registry of demo content: each app registers its loader here (in its ``demo``
module, imported by its ``AppConfig.ready``) and ``citisa.demo.load_demo`` runs them after
the demo users exist. The registry lives below the apps so that they need not import the
project package that sits above them."""

# (order, registration index, loader): run by ``order``, then in the order registered.
EXTRA_LOADERS = []


def demo_loader(fn=None, *, order: int = 100):
    """Register ``fn`` as demo content; ``@demo_loader`` or ``@demo_loader(order=10)``."""

    def register(fn):
        EXTRA_LOADERS.append((order, len(EXTRA_LOADERS), fn))
        return fn

    return register(fn) if fn is not None else register

"""Translation workbench for a newsroom: en -> az, tr, ru with offline MT and terminology checks."""


def create_app(test_config=None, instance_path=None):
    """Flask app factory (`flask --app workbench`); the web layer is imported only when needed."""
    from workbench.web import create_app as factory

    return factory(test_config, instance_path)

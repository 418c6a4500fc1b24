from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = "Places"

    def ready(self):
        from .cache import follow_changes

        follow_changes()

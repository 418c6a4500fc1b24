from django.apps import AppConfig
from django.db.models import signals


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = "Places"

    def ready(self):
        from .cache import PRIVATE_MODELS, PUBLIC_APPS, on_model_change

        # Found through the registry, as listings may not import the apps above it. Each
        # model is named as the sender: a receiver for every model would stop Django's fast
        # path for bulk deletes everywhere. Many-to-many tables are followed through
        # m2m_changed only; the importers' direct writes to them call listings_changed().
        for model in self.apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.app_label not in PUBLIC_APPS or meta.label_lower in PRIVATE_MODELS:
                continue
            if meta.auto_created:
                signals.m2m_changed.connect(on_model_change, sender=model)
            else:
                signals.post_save.connect(on_model_change, sender=model)
                signals.post_delete.connect(on_model_change, sender=model)

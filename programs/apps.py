from django.apps import AppConfig
from django.db.models.signals import post_save


def place_moved(sender, instance, created=False, raw=False, **kwargs):
    """A place's position changed: the meetings held there are found at the new one.

    A place just made has no meetings yet: nothing to move.
    """
    if raw or created:
        return
    from django.db.models import Q

    from .models import Meeting
    from .schedule import refresh_positions

    refresh_positions(
        Meeting.objects.filter(
            Q(location=instance) | Q(location__isnull=True, program__location=instance)
        )
    )


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs, meetings and treatment centres"

    def ready(self):
        from listings.models import Location

        post_save.connect(place_moved, sender=Location, dispatch_uid="programs-place-moved")

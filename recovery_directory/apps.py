from django.apps import AppConfig


class RecoveryDirectoryConfig(AppConfig):
    name = "recovery_directory"
    verbose_name = "Site"

"""A text column stored encrypted (see `crypto`); Python code only ever sees plain text."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Encrypted on the way in, decrypted on the way out.

    The database can neither search nor sort these columns; the referral admin searches by
    reference code only. Empty strings are encrypted too, so the stored rows do not reveal which
    questions a person left blank.
    """

    description = "Text encrypted with AES-256-GCM"

    def __init__(self, *args, max_chars=None, **kwargs):
        # The plain-text limit is enforced by forms; the column holds the longer ciphertext.
        self.max_chars = max_chars
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_chars is not None:
            kwargs["max_chars"] = self.max_chars
        return name, path, args, kwargs

    def context(self):
        # Bound to the model and field, not the app: moving the model between apps must not
        # make stored values unreadable.
        return f"{self.model._meta.model_name}.{self.name}"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(str(value), context=self.context())

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value, context=self.context())

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", self.max_chars)
        return super().formfield(**kwargs)

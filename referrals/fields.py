"""A text column stored encrypted (see `crypto`); Python code only ever sees plain text."""

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from . import crypto


class Sealed(str):
    """A value as stored: ciphertext, opened only when the attribute is first read."""


class EncryptedAttribute(DeferredAttribute):
    """Opens a stored value with its row's own data key the first time it is read.

    Opening needs the instance (whose data key it is), which `from_db_value` never sees;
    rows listed without being read (the inbox) are never decrypted at all.
    """

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(value, instance)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        # A data descriptor, so that reading a loaded value still comes through __get__.
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Sealed on the way in with the row's data key, opened on the way out.

    The model provides `data_key_bytes()` (Referral). The database can neither search nor
    sort these columns; the referral admin searches by reference code only. Empty strings
    are sealed too, so the stored rows do not reveal which questions a person left blank.
    Values written before data keys existed (`enc1:`, under the key ring itself) still open.
    """

    description = "Text encrypted with AES-256-GCM under a per-row data key"
    descriptor_class = EncryptedAttribute

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

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Sealed):
            return value  # unread since loaded: the stored ciphertext stays as it is
        key = model_instance.data_key_bytes()
        return Sealed(crypto.seal(str(value), key=key, context=self.context()))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or isinstance(value, Sealed):
            return value
        raise TypeError(
            f"{self.name} can only be written by saving its row (which seals it with the "
            "row's own data key), not by update(), bulk_update() or a lookup."
        )

    def open(self, sealed, instance):
        if crypto.is_sealed(sealed):
            return crypto.unseal(sealed, key=instance.data_key_bytes(), context=self.context())
        return crypto.decrypt(sealed, context=self.context())

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", self.max_chars)
        return super().formfield(**kwargs)

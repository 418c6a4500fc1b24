"""The Users admin, with a way to lift a colleague's sign-in lockout early."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .lockout import unlock

User = get_user_model()


@admin.action(description="Lift the sign-in lockout of the selected people", permissions=["change"])
def lift_lockout(modeladmin, request, queryset):
    usernames = [user.get_username() for user in queryset]
    lifted = sum(1 for username in usernames if unlock(username))
    modeladmin.message_user(
        request,
        f"Sign-in unlocked for {lifted} of {len(usernames)} selected; "
        "the others were not locked out.",
        messages.SUCCESS,
    )


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, lift_lockout]

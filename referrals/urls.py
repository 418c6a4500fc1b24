from django.urls import path

from . import views

# Included at /get-help/ without a namespace: the site links to it as {% url 'referral' %}.
urlpatterns = [
    path("", views.referral_form, name="referral"),
    path("sent/<str:token>/", views.referral_sent, name="referral_sent"),
]

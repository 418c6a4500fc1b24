from django.urls import path

from listings.cache import public_page

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", public_page(views.ActivityListView.as_view()), name="list"),
    path("activities/past/", public_page(views.PastActivityListView.as_view()), name="past"),
    path("activities/calendar.ics", public_page(views.activity_feed, tiles=False), name="feed"),
    path("activities/<slug:slug>/", public_page(views.activity_detail), name="detail"),
    path("activities/<slug:slug>/calendar.ics", views.activity_ics, name="ics"),
]

from django.urls import path

from programs.maps import with_map

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", with_map(views.ActivityListView.as_view()), name="list"),
    path("activities/past/", with_map(views.PastActivityListView.as_view()), name="past"),
    path("activities/calendar.ics", views.activity_feed, name="feed"),
    path("activities/<slug:slug>/", with_map(views.activity_detail), name="detail"),
    path("activities/<slug:slug>/calendar.ics", views.activity_ics, name="ics"),
]

from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="list"),
    path("activities/past/", views.PastActivityListView.as_view(), name="past"),
    path("activities/calendar.ics", views.activity_feed, name="feed"),
    path("activities/<slug:slug>/", views.activity_detail, name="detail"),
    path("activities/<slug:slug>/calendar.ics", views.activity_ics, name="ics"),
]

from django.urls import path

from listings.cache import public_page

from . import views

app_name = "programs"

urlpatterns = [
    path("programs/", public_page(views.ProgramListView.as_view()), name="list"),
    path("search/", views.search, name="search"),
    path("meetings/", public_page(views.NextMeetingsView.as_view()), name="meetings"),
    path("right-now/", public_page(views.RightNowView.as_view()), name="right_now"),
    # Before the kinds' pattern, which would otherwise take "which-fits-me" for a kind.
    path("programs/which-fits-me/", views.WhichFitsMeView.as_view(), name="which_fits_me"),
    path("meeting-types/", public_page(views.meeting_types, tiles=False), name="meeting_types"),
    path(
        "meeting-types.css",
        public_page(views.meeting_types_css, tiles=False),
        name="meeting_types_css",
    ),
    path("programs/<slug:kind>/", public_page(views.ProgramKindView.as_view()), name="kind"),
    path("program/<slug:slug>/", public_page(views.program_detail), name="program_detail"),
    path(
        "program/<slug:slug>/meeting-<int:pk>.ics",
        public_page(views.meeting_ics, tiles=False),
        name="meeting_ics",
    ),
    path("treatment-centres/", public_page(views.CenterListView.as_view()), name="center_list"),
    path("treatment-centres/<slug:slug>/", public_page(views.center_detail), name="center_detail"),
    path("resources/", public_page(views.resources, tiles=False), name="resources"),
    path("report/<slug:kind>/<slug:slug>/", views.report_problem, name="report_problem"),
]

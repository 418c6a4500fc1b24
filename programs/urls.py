from django.urls import path

from . import views
from .maps import with_map

app_name = "programs"

urlpatterns = [
    path("programs/", with_map(views.ProgramListView.as_view()), name="list"),
    path("programs/<slug:kind>/", with_map(views.ProgramKindView.as_view()), name="kind"),
    path("program/<slug:slug>/", with_map(views.program_detail), name="program_detail"),
    path("treatment-centres/", with_map(views.CenterListView.as_view()), name="center_list"),
    path("treatment-centres/<slug:slug>/", with_map(views.center_detail), name="center_detail"),
    path("report/<slug:kind>/<slug:slug>/", views.report_problem, name="report_problem"),
]

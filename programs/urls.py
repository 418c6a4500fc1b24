from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("programs/", views.ProgramListView.as_view(), name="list"),
    path("programs/<slug:kind>/", views.ProgramKindView.as_view(), name="kind"),
    path("program/<slug:slug>/", views.program_detail, name="program_detail"),
    path("treatment-centres/", views.CenterListView.as_view(), name="center_list"),
    path("treatment-centres/<slug:slug>/", views.center_detail, name="center_detail"),
    path("report/<slug:kind>/<slug:slug>/", views.report_problem, name="report_problem"),
]

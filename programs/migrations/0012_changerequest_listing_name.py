from django.db import migrations, models


def fill_names(apps, schema_editor):
    """Name the listing of every report already filed, where the listing still exists."""
    ChangeRequest = apps.get_model("programs", "ChangeRequest")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for content_type in ContentType.objects.filter(
        pk__in=ChangeRequest.objects.values("content_type_id")
    ):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        reports = ChangeRequest.objects.filter(content_type=content_type)
        names = dict(
            model.objects.filter(pk__in=reports.values("object_id")).values_list("pk", "name")
        )
        for report in reports:
            if report.object_id in names:
                report.listing_name = names[report.object_id][:200]
                report.save(update_fields=["listing_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0011_hsds_id_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="changerequest",
            name="listing_name",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
    ]

"""Programs carry an approach (12-step, secular, faith-based...); fellowships a usual one.

Until now the kind "other" lumped LifeRing, Recovery Dharma, Women for Sobriety and
Celebrate Recovery together; the approach tells them apart. Existing programs take the
approach of their fellowship, else the one their kind implies; the rest stay "not stated"
for a curator to set.
"""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat


def set_approaches(apps, schema_editor):
    """Give the seeded fellowships their usual approach, then every program its default.

    Only blank values are filled, so running it over data a curator has touched keeps their
    choices.
    """
    from programs.models import Approach, approach_for_fellowship, default_approach

    Fellowship = apps.get_model("programs", "Fellowship")
    Program = apps.get_model("programs", "Program")
    for fellowship in Fellowship.objects.filter(default_approach=""):
        approach = approach_for_fellowship(fellowship.slug)
        if approach:
            fellowship.default_approach = approach
            fellowship.save(update_fields=["default_approach"])
    # One UPDATE per fellowship and kind in use: a handful, however many programs.
    pairs = Program.objects.filter(approach="").values_list("kind", "fellowship").distinct()
    fellowships = Fellowship.objects.in_bulk()
    for kind, fellowship_id in pairs.order_by():
        approach = default_approach(kind, fellowships.get(fellowship_id))
        if approach:
            Program.objects.filter(approach="", kind=kind, fellowship_id=fellowship_id).update(
                approach=approach
            )
    # Keyword search reads the approach too (programs/search.py); the next save of each
    # program rebuilds its text in order, so appending is enough until then.
    for approach, label in Approach.choices:
        Program.objects.filter(approach=approach).update(
            search_text=Concat("search_text", Value(f" {label}"))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0002_curators_group"),
        ("programs", "0005_meeting_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="fellowship",
            name="default_approach",
            field=models.CharField(
                blank=True,
                choices=[
                    ("12-step", "12-step"),
                    ("secular", "Secular or science-based"),
                    ("buddhist-inspired", "Buddhist-inspired, with meditation"),
                    ("faith-based", "Faith-based"),
                    ("harm-reduction", "Harm-reduction friendly"),
                    ("all-pathways", "All pathways welcome"),
                    ("family", "For family and friends"),
                ],
                help_text="What its groups usually follow; new programs of this fellowship start with it.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="approach",
            field=models.CharField(
                blank=True,
                choices=[
                    ("12-step", "12-step"),
                    ("secular", "Secular or science-based"),
                    ("buddhist-inspired", "Buddhist-inspired, with meditation"),
                    ("faith-based", "Faith-based"),
                    ("harm-reduction", "Harm-reduction friendly"),
                    ("all-pathways", "All pathways welcome"),
                    ("family", "For family and friends"),
                ],
                db_index=True,
                help_text="Left blank, it is taken from the fellowship, else from the kind when that says enough; otherwise it shows as not stated.",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="fellowship",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "default_approach__in",
                        [
                            "",
                            "12-step",
                            "secular",
                            "buddhist-inspired",
                            "faith-based",
                            "harm-reduction",
                            "all-pathways",
                            "family",
                        ],
                    )
                ),
                name="fellowship_default_approach_valid",
                violation_error_message="Choose one of the approaches, or leave it blank.",
            ),
        ),
        migrations.AddConstraint(
            model_name="program",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "approach__in",
                        [
                            "",
                            "12-step",
                            "secular",
                            "buddhist-inspired",
                            "faith-based",
                            "harm-reduction",
                            "all-pathways",
                            "family",
                        ],
                    )
                ),
                name="program_approach_valid",
                violation_error_message="Choose one of the approaches, or leave it blank.",
            ),
        ),
        migrations.RunPython(set_approaches, migrations.RunPython.noop),
    ]

"""`seed_demo`'s options, each on an empty database."""

import pytest

from demo import data as demo_data
from programs.models import Program
from tests.demo.test_seed_demo import seed

pytestmark = pytest.mark.django_db


def test_quiet_at_verbosity_zero():
    assert seed(verbosity=0) == ""
    assert Program.objects.exists()


def test_if_empty_loads_into_an_empty_database_only():
    seed(if_empty=True)
    loaded = Program.objects.count()
    assert loaded == len(demo_data.PROGRAMS)
    Program.objects.filter(slug="dbsa-columbus").update(name="Renamed by a curator")
    assert "nothing loaded" in seed(if_empty=True)
    assert Program.objects.get(slug="dbsa-columbus").name == "Renamed by a curator"
    assert Program.objects.count() == loaded

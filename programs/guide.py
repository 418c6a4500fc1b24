"""“Which fits me?”: the kinds of peer support and their approaches, side by side.

Plain words for someone choosing where to start: what happens, what it costs, whether
medication for addiction (MAT) is welcome and whom it tends to suit. Each row links to the
listings it describes. Tests check that every approach and every kind has a row, so a value
added later cannot be left out of the comparison.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Approach, ProgramKind

# The comparison's columns after the first: (attribute, heading). Phones show the heading
# beside each cell, so both come from here.
COLUMNS = [
    ("meeting", _("What happens")),
    ("cost", _("Cost")),
    ("medication", _("Medication for addiction (MAT)")),
    ("suits", _("Who it tends to suit")),
]


@dataclass(frozen=True)
class Choice:
    key: str
    name: str
    examples: str
    meeting: str
    cost: str
    medication: str
    suits: str
    link_text: str
    # Where the row's link goes: listings with this approach (and of this kind, if both are
    # given), or the kind's own page when only a kind is given.
    approach: str = ""
    kind: str = ""

    @property
    def anchor(self):
        return f"fit-{self.key}"

    @property
    def cells(self):
        return [(heading, getattr(self, name)) for name, heading in COLUMNS]

    @property
    def url(self):
        if not self.approach:
            return reverse("programs:kind", kwargs={"kind": self.kind})
        params = {"approach": self.approach}
        if self.kind:
            params["kind"] = self.kind
        return f"{reverse('programs:list')}?{urlencode(params)}"


CHOICES = [
    Choice(
        key=Approach.TWELVE_STEP,
        name=_("12-step groups"),
        examples=_("Alcoholics Anonymous, Narcotics Anonymous, Cocaine Anonymous and others"),
        meeting=_(
            "Members take turns to share their own story, hear one speaker, or read and talk "
            "about one of the Twelve Steps. Many find a sponsor: a member further along who "
            "helps them work through the steps."
        ),
        cost=_("Free. A basket goes round for anyone who wants to give."),
        medication=_(
            "You can come to any open meeting. Groups see medication differently; if it "
            "matters to you, ask, or pick a group that says it welcomes people on MAT."
        ),
        suits=_(
            "People who want a shared program, a fellowship for the long run and a meeting "
            "nearly every day. The steps speak of a higher power that each person defines "
            "for themselves."
        ),
        link_text=_("Find 12-step groups"),
        approach=Approach.TWELVE_STEP,
        kind=ProgramKind.TWELVE_STEP,
    ),
    Choice(
        key=ProgramKind.SMART,
        name=_("SMART Recovery"),
        examples=_("SMART Recovery meetings, in person and online"),
        meeting=_(
            "A trained facilitator leads. People check in on their week, then the group works "
            "through one problem with practical tools from psychology, such as weighing up "
            "what using costs and gives you."
        ),
        cost=_("Free; donations welcome."),
        medication=_("Welcome: medication is one of the tools a person may choose to use."),
        suits=_(
            "People who want a practical, self-directed approach without steps or a higher "
            "power, including people who want to cut down before they stop."
        ),
        link_text=_("Find SMART Recovery meetings"),
        kind=ProgramKind.SMART,
    ),
    Choice(
        key=Approach.SECULAR,
        name=_("Other secular groups"),
        examples=_("LifeRing Secular Recovery, Women for Sobriety"),
        meeting=_(
            "LifeRing meetings talk about how the past week went and the week ahead. Women "
            "for Sobriety meetings are for women and build on positive statements to live by."
        ),
        cost=_("Free; donations welcome."),
        medication=_("Usually welcome; ask the group if you are unsure."),
        suits=_(
            "People who want to stop drinking or using with support that asks them to "
            "believe in nothing in particular."
        ),
        link_text=_("Find secular groups"),
        approach=Approach.SECULAR,
        kind=ProgramKind.OTHER,
    ),
    Choice(
        key=Approach.BUDDHIST,
        name=_("Buddhist-inspired groups"),
        examples=_("Recovery Dharma, Refuge Recovery"),
        meeting=_(
            "Usually a short guided meditation, then a reading and time to share. The ideas "
            "come from Buddhist teaching, but nobody is asked to believe in a god or to "
            "become a Buddhist."
        ),
        cost=_("Free; donations welcome."),
        medication=_("Usually welcome; ask the group if you are unsure."),
        suits=_(
            "People drawn to meditation and mindfulness, of any faith or none. No experience "
            "of meditation is needed."
        ),
        link_text=_("Find Buddhist-inspired groups"),
        approach=Approach.BUDDHIST,
    ),
    Choice(
        key=Approach.FAITH_BASED,
        name=_("Faith-based groups"),
        examples=_("Celebrate Recovery, and groups run by churches and other faith communities"),
        meeting=_(
            "Often an evening with a shared meal, worship and teaching, then small groups for "
            "men and for women. Celebrate Recovery has its own steps and principles, rooted "
            "in the Christian faith."
        ),
        cost=_("Free."),
        medication=_("It differs from group to group; ask the leader."),
        suits=_(
            "People who want their faith at the heart of their recovery. Many groups welcome "
            "anyone with any habit or hurt, not only alcohol or drugs."
        ),
        link_text=_("Find faith-based groups"),
        approach=Approach.FAITH_BASED,
    ),
    Choice(
        key=Approach.HARM_REDUCTION,
        name=_("Harm-reduction friendly groups"),
        examples=_("Peer groups, drop-in centres and outreach that meet you where you are"),
        meeting=_(
            "You don't have to have stopped, or promise to stop, to come. People talk about "
            "using more safely, cutting down and staying alive; some hand out naloxone."
        ),
        cost=_("Usually free."),
        medication=_("Welcome, openly."),
        suits=_(
            "People who are not ready to quit or not sure that quitting is their goal, and "
            "people on medication who have felt judged elsewhere."
        ),
        link_text=_("Find harm-reduction friendly groups"),
        approach=Approach.HARM_REDUCTION,
    ),
    Choice(
        key=Approach.ALL_PATHWAYS,
        name=_("Recovery community centres"),
        examples=_("Peer-run drop-in centres, open to every path"),
        meeting=_(
            "Anyone in recovery, or thinking about it, can share, whatever their path: steps, "
            "SMART, faith, medication or none. Centres also offer recovery coaching, help with "
            "housing and work, and sober social events."
        ),
        cost=_("Free."),
        medication=_("Welcome."),
        suits=_(
            "People who have not chosen a path yet or follow more than one, and anyone who "
            "wants somewhere to spend time that isn't built around drinking or using."
        ),
        link_text=_("Find recovery community centres"),
        approach=Approach.ALL_PATHWAYS,
        kind=ProgramKind.RECOVERY_COMMUNITY,
    ),
    Choice(
        key=Approach.FAMILY,
        name=_("Groups for family and friends"),
        examples=_("Al-Anon, Nar-Anon, SMART Recovery Family & Friends, NAMI family groups"),
        meeting=_(
            "For the people around someone who drinks or uses. You talk about how it affects "
            "you and learn ways to look after yourself. Al-Anon and Nar-Anon follow twelve "
            "steps; SMART Family & Friends teaches ways of talking that can help at home."
        ),
        cost=_("Free; donations welcome."),
        medication=_("The group is about you, not about your loved one's treatment."),
        suits=_(
            "Parents, partners, children and friends, whether or not the person they worry "
            "about has stopped or wants help."
        ),
        link_text=_("Find groups for family and friends"),
        approach=Approach.FAMILY,
    ),
    Choice(
        key=ProgramKind.DUAL_DIAGNOSIS,
        name=_("Dual-diagnosis groups"),
        examples=_("Dual Diagnosis Anonymous, NAMI Connection"),
        meeting=_(
            "A small circle, led by someone who has lived it too. Mental-health symptoms and "
            "psychiatric medication are talked about openly."
        ),
        cost=_("Free."),
        medication=_("Welcome: medication is treated as a normal part of recovery."),
        suits=_(
            "People living with both a substance use problem and a mental-health condition, "
            "who felt other groups left half their story out."
        ),
        link_text=_("Find dual-diagnosis groups"),
        kind=ProgramKind.DUAL_DIAGNOSIS,
    ),
    Choice(
        key=ProgramKind.MENTAL_HEALTH,
        name=_("Mental-health peer support"),
        examples=_("NAMI Peer-to-Peer, Depression and Bipolar Support Alliance (DBSA) groups"),
        meeting=_(
            "Peer-led groups and courses about living with a mental-health condition. Groups "
            "start with introductions and a reminder that what is said stays in the room."
        ),
        cost=_("Free."),
        medication=_("Welcome; treatment and medication are ordinary topics."),
        suits=_(
            "People whose mood, anxiety or other mental-health symptoms make recovery harder, "
            "whether or not they also use substances."
        ),
        link_text=_("Find mental-health peer support"),
        kind=ProgramKind.MENTAL_HEALTH,
    ),
    Choice(
        key=ProgramKind.SOBER_LIVING,
        name=_("Sober living homes"),
        examples=_("Recovery residences, sober houses"),
        meeting=_(
            "Not a meeting but a shared home where everyone stays free of alcohol and drugs. "
            "Residents keep house rules, often hold a weekly house meeting and usually go to "
            "outside meetings too."
        ),
        cost=_("Rent, often paid weekly; some homes charge on a sliding scale."),
        medication=_(
            "Some homes accept residents taking buprenorphine, methadone or naltrexone and "
            "some do not; each listing says which."
        ),
        suits=_(
            "People leaving detox or residential treatment, or whose home makes staying sober hard."
        ),
        link_text=_("Find sober living homes"),
        kind=ProgramKind.SOBER_LIVING,
    ),
]


# Kinds whose own row says more about a program than its approach's row would.
KIND_ROWS = {
    ProgramKind.SMART,
    ProgramKind.DUAL_DIAGNOSIS,
    ProgramKind.MENTAL_HEALTH,
    ProgramKind.SOBER_LIVING,
}


def anchor_for(program):
    """The row of the comparison that describes `program`, or "" when none does."""
    keys = {choice.key for choice in CHOICES}
    for key in (program.kind if program.kind in KIND_ROWS else "", program.approach):
        if key in keys:
            return f"fit-{key}"
    return ""

"""The planning vocabulary as enums (values are stored by name)."""

from __future__ import annotations

import enum


class Role(enum.Enum):
    """A person's role in an ART or a team."""

    RTE = "RTE"
    PRODUCT_MANAGER = "PRODUCT_MANAGER"
    SYSTEM_ARCHITECT = "SYSTEM_ARCHITECT"
    BUSINESS_OWNER = "BUSINESS_OWNER"
    VIEWER = "VIEWER"
    SCRUM_MASTER = "SCRUM_MASTER"
    PRODUCT_OWNER = "PRODUCT_OWNER"
    DEVELOPER = "DEVELOPER"
    TECH_LEAD = "TECH_LEAD"
    TESTER = "TESTER"
    SME = "SME"


ART_ROLES = frozenset(
    {Role.RTE, Role.PRODUCT_MANAGER, Role.SYSTEM_ARCHITECT, Role.BUSINESS_OWNER, Role.VIEWER}
)
TEAM_ROLES = frozenset(set(Role) - ART_ROLES)
# Team roles that make someone a member of the team (beyond scrum master and product owner).
TEAM_MEMBER_ROLES = frozenset({Role.DEVELOPER, Role.TECH_LEAD, Role.TESTER, Role.SME})


class IterationKind(enum.Enum):
    REGULAR = "REGULAR"
    IP = "IP"


class FeatureKind(enum.Enum):
    BUSINESS = "BUSINESS"
    ENABLER = "ENABLER"


class EnablerType(enum.Enum):
    EXPLORATION = "EXPLORATION"
    ARCHITECTURAL = "ARCHITECTURAL"
    INFRASTRUCTURE = "INFRASTRUCTURE"
    COMPLIANCE = "COMPLIANCE"


class FeatureState(enum.Enum):
    """ART Kanban states, in flow order."""

    FUNNEL = "FUNNEL"
    ANALYZING = "ANALYZING"
    BACKLOG = "BACKLOG"
    IMPLEMENTING = "IMPLEMENTING"
    VALIDATING = "VALIDATING"
    DEPLOYING = "DEPLOYING"
    RELEASING = "RELEASING"
    DONE = "DONE"


class StoryKind(enum.Enum):
    USER_STORY = "USER_STORY"
    ENABLER = "ENABLER"
    SPIKE = "SPIKE"


class StoryStatus(enum.Enum):
    BACKLOG = "BACKLOG"
    IN_PROGRESS = "IN_PROGRESS"
    IN_REVIEW = "IN_REVIEW"
    DONE = "DONE"


class TShirtSize(enum.Enum):
    XS = "XS"
    S = "S"
    M = "M"
    L = "L"
    XL = "XL"


class ComponentKind(enum.Enum):
    SERVICE = "SERVICE"
    LIBRARY = "LIBRARY"
    PLATFORM = "PLATFORM"
    INTEGRATION_LAYER = "INTEGRATION_LAYER"
    DATA_STORE = "DATA_STORE"


class DependencyType(enum.Enum):
    BLOCKS = "BLOCKS"
    RELATES = "RELATES"


class MilestoneKind(enum.Enum):
    RELEASE = "RELEASE"
    SYSTEM_DEMO = "SYSTEM_DEMO"
    PI_PLANNING = "PI_PLANNING"
    EXTERNAL_DEADLINE = "EXTERNAL_DEADLINE"
    OTHER = "OTHER"


class WorkItemType(enum.Enum):
    """The two kinds of plan item a dependency can connect."""

    FEATURE = "FEATURE"
    STORY = "STORY"


class TokenScope(enum.Enum):
    """What an API token may do: read only, or also write what its person may write."""

    READ = "READ"
    WRITE = "WRITE"


class HistoryAction(enum.Enum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    ARCHIVE = "ARCHIVE"


class SessionStatus(enum.Enum):
    """Where a refinement session is in its life."""

    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class AgendaStep(enum.Enum):
    """The steps of refining one item in a session (the article's agenda, plus spikes)."""

    CLARIFY = "CLARIFY"  # business value and technical assumptions
    ACCEPTANCE_CRITERIA = "ACCEPTANCE_CRITERIA"
    ESTIMATE = "ESTIMATE"  # story points or t-shirt size; WSJF and job size for a feature
    TECHNICAL_DETAILS = "TECHNICAL_DETAILS"  # architecture, dependencies, NFRs, tests, components
    FLAG = "FLAG"  # blocked or incomplete, with a follow-up
    SPIKE = "SPIKE"  # an unknown became a spike


class FollowUpKind(enum.Enum):
    BLOCKED = "BLOCKED"
    INCOMPLETE = "INCOMPLETE"
    QUESTION = "QUESTION"


class ReadyRule(enum.Enum):
    """Definition of Ready rules (services/DOMAIN.md gives the defaults; an ART may choose)."""

    # Features
    BENEFIT_HYPOTHESIS = "BENEFIT_HYPOTHESIS"
    FEATURE_ACCEPTANCE_CRITERIA = "FEATURE_ACCEPTANCE_CRITERIA"
    WSJF_SCORED = "WSJF_SCORED"
    OWNING_TEAM = "OWNING_TEAM"
    DEPENDENCIES_IDENTIFIED = "DEPENDENCIES_IDENTIFIED"
    NO_OPEN_FEATURE_SPIKE = "NO_OPEN_FEATURE_SPIKE"
    COMPONENTS_IDENTIFIED = "COMPONENTS_IDENTIFIED"
    NO_OPEN_FEATURE_FOLLOW_UP = "NO_OPEN_FEATURE_FOLLOW_UP"
    # Stories
    STORY_ACCEPTANCE_CRITERIA = "STORY_ACCEPTANCE_CRITERIA"
    ESTIMATED = "ESTIMATED"
    NO_BLOCKING_DEPENDENCY = "NO_BLOCKING_DEPENDENCY"
    NO_OPEN_STORY_SPIKE = "NO_OPEN_STORY_SPIKE"
    NOT_FLAGGED_BLOCKED = "NOT_FLAGGED_BLOCKED"
    TEST_APPROACH = "TEST_APPROACH"


FEATURE_READY_RULES = (
    ReadyRule.BENEFIT_HYPOTHESIS,
    ReadyRule.FEATURE_ACCEPTANCE_CRITERIA,
    ReadyRule.WSJF_SCORED,
    ReadyRule.OWNING_TEAM,
    ReadyRule.DEPENDENCIES_IDENTIFIED,
    ReadyRule.NO_OPEN_FEATURE_SPIKE,
    ReadyRule.COMPONENTS_IDENTIFIED,
    ReadyRule.NO_OPEN_FEATURE_FOLLOW_UP,
)
STORY_READY_RULES = (
    ReadyRule.STORY_ACCEPTANCE_CRITERIA,
    ReadyRule.ESTIMATED,
    ReadyRule.NO_BLOCKING_DEPENDENCY,
    ReadyRule.NO_OPEN_STORY_SPIKE,
    ReadyRule.NOT_FLAGGED_BLOCKED,
    ReadyRule.TEST_APPROACH,
)
# services/DOMAIN.md's default Definition of Ready; the other rules are opt-in per ART.
DEFAULT_FEATURE_READY = FEATURE_READY_RULES[:6]
DEFAULT_STORY_READY = STORY_READY_RULES[:5]


class RefinementEventKind(enum.Enum):
    """What happened in a refinement session (its log, and what subscribers are sent)."""

    SCHEDULED = "SCHEDULED"
    CHANGED = "CHANGED"  # time, timebox, participants, notes
    AGENDA_CHANGED = "AGENDA_CHANGED"
    STARTED = "STARTED"
    ITEM_REFINED = "ITEM_REFINED"  # one or more agenda steps recorded on an item
    ESTIMATED = "ESTIMATED"
    FLAGGED = "FLAGGED"
    SPIKE_CREATED = "SPIKE_CREATED"
    ITEM_COVERED = "ITEM_COVERED"
    BECAME_READY = "BECAME_READY"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"

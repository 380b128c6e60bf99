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

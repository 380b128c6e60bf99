"""Plain data of the demo ART: an online shop's release train (read by services.demo).

The feature table is text so forty features stay readable in one screen per team. Each feature
starts with a header line, then optional detail lines:

    TEAM STATE ITERATION UBV/TC/RR/SIZE COMPONENTS [ENABLER_TYPE] | Title
    > benefit hypothesis
    - acceptance criterion | acceptance criterion
    * story title | story title        (the feature's own stories, in delivery order)
    ? spike title | spike title        (time-boxed research stories, done first)

ITERATION is 1-4 or "-" (not planned: no planning interval); COMPONENTS are the codes of
COMPONENTS below, comma-separated, or "-".
"""

from __future__ import annotations

import csv
from pathlib import Path

# The wide tables (components, dependencies, milestones, follow-ups, notes) are CSV files in
# tables/ beside this module, one row a line.
TABLES = Path(__file__).parent / "tables"


def _table(name: str) -> list[dict[str, str]]:
    with (TABLES / f"{name}.csv").open(newline="", encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def _yes(value: str) -> bool:
    return {"yes": True, "no": False}[value]


ART_KEY = "SHOP"
ART_NAME = "Online Shop ART"
ART_DESCRIPTION = (
    "The release train behind the web shop and the shopping app: checkout, payments, catalog "
    "search, fulfilment and loyalty, supported by a platform team and a data team."
)
EMAIL_DOMAIN = "demo.trainyard"
RANDOM_SEED = 20_240_917

# key, name, shared services?, description
TEAMS: tuple[tuple[str, str, bool, str], ...] = (
    ("CHK", "Checkout", False, "Cart, checkout flow and order confirmation on web and app."),
    ("PAY", "Payments", False, "Payment methods, payment service providers, refunds and fraud."),
    ("SRCH", "Catalog Search", False, "Search, filters, ranking and product discovery."),
    ("CAT", "Product Catalog", False, "Product data, prices, promotions and merchandising tools."),
    ("FUL", "Fulfilment", False, "Order management, warehouses, carriers and returns."),
    ("LOY", "Loyalty", False, "Loyalty points, member tiers and gift cards."),
    ("PLAT", "Commerce Platform", True, "Shared services: cloud platform, CI/CD, design system."),
    ("DATA", "Data & Insights", True, "Shared services: event streaming, data lake, analytics."),
)
# Teams that estimate in t-shirt sizes, with their own scale when it differs from the default.
TSHIRT_TEAMS: dict[str, dict[str, int]] = {
    "LOY": {},
    "DATA": {"XS": 1, "S": 2, "M": 5, "L": 8, "XL": 13},
}

# ART roles: RTE, two product managers, the system architect, two business owners, and a
# viewer (an internal auditor who follows the train's plans read-only).
ART_PEOPLE: tuple[tuple[str, str], ...] = (
    ("RTE", "Marta Kowalski"),
    ("PRODUCT_MANAGER", "Daniel Okafor"),
    ("PRODUCT_MANAGER", "Sophie Laurent"),
    ("SYSTEM_ARCHITECT", "Rahul Mehta"),
    ("BUSINESS_OWNER", "Catherine Moore"),
    ("BUSINESS_OWNER", "Henrik Lindqvist"),
    ("VIEWER", "Teresa Alves"),
)
# Team members, a line or two per team: "TEAM | ROLE Name | ROLE Name ...", where ROLE is
# SM scrum master, PO product owner, TL tech lead, DEV developer, QA tester, SME expert.
ROLE_CODES = {
    "SM": "SCRUM_MASTER",
    "PO": "PRODUCT_OWNER",
    "TL": "TECH_LEAD",
    "DEV": "DEVELOPER",
    "QA": "TESTER",
    "SME": "SME",
}
TEAM_PEOPLE = """
CHK | SM Hannah Becker | PO Omar Haddad | TL Lucas Moreau | DEV Priya Nair
CHK | DEV Tom Fischer | DEV Elena Rossi | QA Jonas Weber
PAY | SM Aisha Bello | PO Martin Novák | TL Grace Kim | DEV Felix Schneider
PAY | DEV Inês Duarte | DEV Kenji Watanabe | QA Laura Jensen | SME Samuel Adeyemi
SRCH | SM Nora Svensson | PO Mateo García | TL Chloé Dubois | DEV Arjun Patel
SRCH | DEV Emily Clarke | QA Yusuf Demir
CAT | SM Julia Hoffmann | PO David Cohen | TL Mia Andersen | DEV Pavel Horák
CAT | DEV Sara Lindberg | SME Ahmed Mansour
FUL | SM Olivia Brown | PO Lukas Bauer | TL Fatima Zahra | DEV Marco Bianchi
FUL | DEV Anna Nowak | QA Ethan Wright | SME Leila Karimi
LOY | SM Sofia Petrova | PO Benjamin Roth | TL Amara Okonkwo | DEV Niklas Berg | QA Hana Suzuki
PLAT | SM Isabel Romero | PO Jakub Wiśniewski | TL Maya Goldberg | DEV Oscar Nilsson
PLAT | DEV Zoe Turner | DEV Victor Lemaire | DEV Ravi Shankar
DATA | SM Clara Vogel | PO Tariq Aziz | TL Lena Hartmann | DEV Diego Fernández
DATA | DEV Ingrid Solberg | SME Kwame Mensah
"""

# Sign-in accounts: a portfolio admin, and one person per role (of the people above) who gets
# the shared demo password. Everyone else has no password and cannot sign in.
ADMIN_NAME = "Demo Admin"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
DEMO_PASSWORD = "trainyard-demo-2026"  # accounts.PASSWORD_MIN to PASSWORD_MAX characters
# role, team key (None: the role is held in the ART), name
SIGN_IN_PEOPLE: tuple[tuple[str, str | None, str], ...] = (
    ("RTE", None, "Marta Kowalski"),
    ("PRODUCT_MANAGER", None, "Daniel Okafor"),
    ("SYSTEM_ARCHITECT", None, "Rahul Mehta"),
    ("BUSINESS_OWNER", None, "Catherine Moore"),
    ("VIEWER", None, "Teresa Alves"),
    ("SCRUM_MASTER", "CHK", "Hannah Becker"),
    ("PRODUCT_OWNER", "CHK", "Omar Haddad"),
    ("DEVELOPER", "CHK", "Priya Nair"),
)
ROLE_LABELS = {
    "RTE": "Release Train Engineer",
    "PRODUCT_MANAGER": "Product Manager",
    "SYSTEM_ARCHITECT": "System Architect",
    "BUSINESS_OWNER": "Business Owner",
    "VIEWER": "Viewer (read-only)",
    "SCRUM_MASTER": "Scrum Master",
    "PRODUCT_OWNER": "Product Owner",
    "DEVELOPER": "Developer",
}
# The admin's read-only API token, limited to the demo ART; its secret is shown only once.
TOKEN_NAME = "Demo read-only token"

# code, name, kind, owning team, portfolio-wide?, description
COMPONENTS: tuple[tuple[str, str, str, str, bool, str], ...] = tuple(
    (r["code"], r["name"], r["kind"], r["owning_team"], _yes(r["portfolio_wide"]), r["description"])
    for r in _table("components")
)

FEATURES = """
CHK IMPLEMENTING 3 13/8/3/8 CHKS,SDS,PAYG | One-page guest checkout
> If guests pay on one page without an account, mobile checkout conversion rises by 3 points.
- A guest orders without creating an account | Address, delivery and payment fit on one page
* Collapse address and delivery steps into one page | Inline card form with saved-card fallback
* Order confirmation email with an account invite | Keep the checkout draft across reloads
? Compare single-page and accordion layouts in usability tests
CHK BACKLOG 4 5/3/2/5 CHKS | Saved carts across devices
> Shoppers who find their cart on any device come back to buy 10% more often.
- A signed-in shopper sees the same cart on web and app | Stale carts expire after 30 days
* Merge the anonymous cart into the account cart at sign-in | Sync cart changes between devices
* Show saved-for-later items under the cart
CHK IMPLEMENTING 2 13/13/2/5 CHKS,PAYG | Express checkout with Apple Pay and Google Pay
> Wallet buttons on product and cart pages halve the time to pay on mobile.
- Wallet buttons show only on supported devices | The wallet address becomes the order address
* Wallet buttons on the product page | Map the wallet shipping contact to the order address
* Handle a cancelled wallet payment sheet | Pass wallet tokens to the payment gateway
? Check Apple Pay merchant validation behind our CDN
CHK BACKLOG 3 8/5/3/8 CHKS,OMS | Delivery slot picker
> Letting shoppers choose a delivery slot cuts failed first deliveries by 20%.
- Only slots the carrier can still serve are offered | A chosen slot is held for 15 minutes
* Fetch available slots from the carrier API | Slot picker in the delivery step
* Hold the chosen slot during checkout | Show the slot in the confirmation email
? Assess the rate limits of the carrier slot API
CHK DONE 1 5/3/1/3 CHKS,PCS | Cart promotions preview
> Showing the discount before checkout lowers cart abandonment on promotion days.
- Applied promotions show as cart lines | A voucher that does not apply explains why
* Applied promotions as cart lines | Explain why a voucher does not apply
* Recalculate promotions when the cart changes
CHK IMPLEMENTING 3 3/13/8/5 CHKS,SDS COMPLIANCE | Checkout accessibility to WCAG 2.2 AA
> Meeting WCAG 2.2 AA in checkout removes the legal risk of the European Accessibility Act.
- An automated axe scan reports no serious issues | An external accessibility audit passes
* Keyboard navigation through every checkout step | Screen-reader labels on payment fields
* Colour contrast fixes in the order summary | Announce errors to assistive technology
PAY IMPLEMENTING 3 13/8/3/8 PAYG,CHKS | Buy now, pay later with Klarna
> Offering instalments raises the share of orders above 150 EUR by 12%.
- Shoppers can choose Klarna instalments in checkout | Refunds flow back through Klarna
* Klarna as a payment method in checkout | Capture the Klarna payment on shipment
* Refunds through the Klarna API | Instalment messaging on the product page
? Review the Klarna settlement file format with finance
PAY VALIDATING 2 8/13/8/5 PAYG | 3-D Secure 2 frictionless payments
> Sending rich 3DS2 data lets issuers approve 80% of card payments without a challenge.
- Device and browser data go with every 3DS2 request | SCA exemptions are logged for audit
* Send device and browser data with 3DS2 requests | Challenge flow in an embedded frame
* Fall back to 3DS1 for unsupported issuers | Log SCA exemptions for the audit
PAY BACKLOG 4 8/5/2/5 PAYG,OMS | Instant refunds to the original payment method
> Refunding minutes after a return is scanned halves "where is my refund" contacts.
- A refund starts when the warehouse scans the return | Partial refunds work per order line
* Trigger the refund on the return scan event | Partial refunds for multi-item orders
* Refund status in the customer account | Retry failed refunds and alert the payments team
? Confirm refund times of the payment providers for cards and wallets
PAY IMPLEMENTING 2 5/5/5/3 PAYG | Payment retry on soft declines
> Retrying soft declines once recovers 2% of failed card payments.
- Soft and hard decline codes are told apart | A declined shopper sees a clear next step
* Classify decline codes as soft or hard | Retry soft declines with backoff
* Friendly retry message for the shopper
PAY IMPLEMENTING 4 8/5/8/13 PAYG,EVB | Fraud scoring before capture
> Scoring orders before capture cuts chargebacks by 30% without lowering approval rates.
- Every order has a risk score before capture | High-risk orders wait for manual review
* Send order risk signals to the fraud engine | Hold high-risk orders for manual review
* Review queue for the fraud analysts | Feed chargeback outcomes back to the model
? Evaluate two fraud scoring vendors against last year's chargebacks
PAY BACKLOG 3 2/13/13/8 PAYG,CCP COMPLIANCE | PCI DSS 4.0 readiness
> Closing the PCI DSS 4.0 gaps before the assessment keeps our merchant licence.
- Every script on payment pages is inventoried and approved | The QSA gap list is empty
* Inventory every script on the payment pages | Rotate card-data encryption keys quarterly
* Quarterly access review for payment systems | Tamper detection for the payment page
? Find which third-party scripts the payment pages can drop
SRCH DONE 2 8/3/3/5 SIDX | Typo-tolerant product search
> Fuzzy matching cuts zero-result searches by 40%.
- Queries with one typo find the product | Merchandisers maintain synonyms themselves
* Fuzzy matching on product titles | Synonym list maintained by merchandisers
* Did-you-mean suggestion on zero results
SRCH IMPLEMENTING 2 8/5/2/5 SIDX,SDS,PCS | Faceted filters for size, colour and brand
> Shoppers who filter convert twice as often as shoppers who scroll.
- Filters show how many products match | Filters stay in the URL for sharing
* Index size, colour and brand as facets | Filter panel on mobile
* Result counts per facet value | Keep filters in the URL
SRCH BACKLOG 4 8/3/5/13 SIDX,EVB | Personalised search ranking
> Ranking by a shopper's browsing history lifts search click-through by 8%.
- Ranking uses only data of shoppers who consented | Ranking changes run as A/B tests
* Collect search click events | Re-rank results with the affinity score
* A/B test framework for ranking | Opt out of personalisation in the privacy settings
? Prototype learning-to-rank on one category
SRCH IMPLEMENTING 3 5/3/2/3 SIDX,SDS | Search autocomplete with product images
> Suggestions with images after two characters shorten the path to the product page.
- Suggestions appear within 150 ms | Suggestions can be chosen with the keyboard
* Suggest queries after two characters | Product images in suggestions
* Highlight the matched part of a suggestion | Keyboard navigation in the suggestion list
SRCH IMPLEMENTING 3 2/5/13/8 SIDX,CCP INFRASTRUCTURE | Search cluster upgrade to OpenSearch 2
> Moving to OpenSearch 2 ends the unsupported-cluster risk and cuts reindexing from 4 h to 30 min.
- Search traffic runs on OpenSearch 2 | The old cluster is decommissioned
* Provision the OpenSearch 2 cluster | Dual-write products to the old and new index
* Compare relevance between the clusters | Switch read traffic and retire the old cluster
? Measure reindex time on a production-size snapshot
CAT VALIDATING 2 5/8/2/5 PCS | Bulk price updates for merchandisers
> Uploading price changes in bulk saves merchandisers a day per promotion.
- A price file is validated before it applies | Every price change has an audit entry
* Upload a price file with a validation report | Schedule price changes for a start date
* Audit trail of price changes | Roll back a bulk price change
CAT BACKLOG 4 8/5/3/8 PCS,CHKS | Product bundles
> Bundles with a bundle price raise items per order from 1.8 to 2.1.
- A bundle has its own price and page | Finance sees bundle revenue per item
* Define a bundle of items with a bundle price | Bundles on the product page
* Split bundle revenue per item for finance | Stock check across the items of a bundle
? Decide how bundles behave on returns and partial refunds
CAT ANALYZING - 5/2/3/13 PCS | Rich product content from marketplace sellers
> Sellers who upload videos and size guides see 15% fewer returns.
? Compare content moderation options for seller uploads | Estimate storage costs of videos
CAT IMPLEMENTING 2 5/8/1/3 PCS,SDS | Low-stock badges on product pages
> A "only 3 left" badge on popular items lifts their conversion by 5%.
- The badge shows below five items in stock | Made-to-order items never show the badge
* Stock level bands in the catalog API | Low-stock badge on the product page
* Hide the badge for made-to-order items
CAT IMPLEMENTING 4 3/3/13/13 PCS,EVB ARCHITECTURAL | Product catalog change events
> Publishing catalog changes as events lets search, pricing and feeds stop polling the database.
- Every product change is published once, in order | Search indexes from events only
* Product-changed event schema | Publish events from the catalog service
* Consume product events in the search indexer | Backfill events for the existing catalog
? Choose between a transactional outbox and change data capture
FUL IMPLEMENTING 3 13/8/5/13 OMS,CHKS | Click and collect in store
> Offering store pickup brings 5% of online orders into stores, where 30% buy something more.
- Shoppers pick a store with opening hours | The store confirms pickup with a QR code
* Store picker with opening hours in checkout | Send pickup orders to the store system
* Ready-for-pickup text message | Pickup confirmation by QR code at the counter
? Check the store till API for the order hand-off
FUL IMPLEMENTING 2 8/5/3/5 OMS | Self-service returns portal
> Self-service returns cut return contacts to customer service by 35%.
- A return starts from the order history | Labels can be printed or shown as a QR code
* Start a return from the order history | Print-at-home and QR code return labels
* Track the return parcel | Refund trigger on warehouse receipt
FUL BACKLOG 4 5/3/8/13 OMS,CHKS | Split shipments from several warehouses
> Shipping from the nearest warehouse cuts delivery time by a day for 40% of orders.
- Order lines go to the nearest warehouse with stock | Shipping is charged once per order
* Allocate order lines to the nearest warehouse | Split delivery dates in checkout
* One tracking page for all parcels | Charge shipping once for split orders
? Simulate allocation rules on last quarter's orders
FUL DONE 1 5/8/5/5 OMS | Carrier integration for DHL and UPS
> Booking shipments through carrier APIs removes 300 manual bookings a day.
- Shipments are booked through the carrier APIs | Tracking events update the order status
* Book shipments through the DHL API | Book shipments through the UPS API
* Map carrier tracking events to order status
FUL BACKLOG 3 2/3/13/20 OMS,EVB ARCHITECTURAL | Order management service decomposition
> Moving shipments out of the order monolith lets two teams release independently.
- Shipment endpoints are served by their own service | Order status changes are published
* Shipment module behind its own API | Strangler routing for shipment endpoints
* Move shipment tables to their own schema | Publish order status events
? Map data ownership in the order monolith
LOY IMPLEMENTING 3 13/5/3/8 CHKS,PAYG | Loyalty points at checkout
> Letting members pay with points raises the member repeat purchase rate by 10%.
- Members see their points balance in checkout | Points are returned when an order is refunded
* Points balance in checkout | Redeem points as part payment
* Reverse points on refund | Points earned on the confirmation page
? Agree the accounting of redeemed points with finance
LOY BACKLOG 4 8/3/3/8 CHKS,OMS | Member tiers with free shipping
> Free shipping for Gold members moves 8% of Silver members up a tier within a year.
- The tier follows the spend of the last 12 months | Gold members never pay for shipping
* Compute the member tier from 12-month spend | Free shipping for Gold members in checkout
* Tier progress in the customer account | Tier change email
? Model the shipping cost of free delivery for Gold members
LOY VALIDATING 1 8/8/2/5 PAYG,CHKS | Digital gift cards
> Digital gift cards add 4% revenue in the gifting season.
- Gift cards can be bought and redeemed online | Finance sees the open gift card liability
* Buy a digital gift card with a personal message | Redeem a gift card code in checkout
* Gift card balance page | Gift card liability report for finance
LOY FUNNEL - 3/2/1/3 - | Birthday vouchers for members
> A birthday voucher brings 20% of members back in their birthday month.
LOY FUNNEL - 5/2/2/8 - | Refer-a-friend programme
> Referred shoppers have a 25% higher lifetime value than shoppers from paid search.
PLAT IMPLEMENTING 2 3/8/13/8 CCP,CHKS INFRASTRUCTURE | Zero-downtime checkout deployments
> Blue-green releases let us deploy checkout during trading hours without losing orders.
- Deployments lose no checkout session | A release rolls back by itself when errors spike
* Blue-green routing in the service mesh | Drain in-flight checkouts before the switch
* Roll back automatically when the error budget burns | Expand-and-contract migration guide
? Test session draining in the service mesh
PLAT BACKLOG 4 3/2/2/5 SDS | Dark mode for web and app
> A dark theme answers the most-voted app store request and lifts evening session length.
- Every screen follows the system colour preference | Contrast meets WCAG AA in both themes
* Move colours to design tokens | Dark theme for the core components
* Follow the system colour preference | Visual regression tests for both themes
PLAT BACKLOG 3 2/3/8/5 CCP,EVB INFRASTRUCTURE | Observability baseline with OpenTelemetry
> Traces across services cut the time to find the cause of an incident from hours to minutes.
- Every request carries a trace from edge to database | Checkout and payments have SLO alerts
* Trace propagation through the API gateway | Standard service dashboards
* SLO alerts for checkout and payments | Log retention policy
? Estimate the cost of trace sampling rates
PLAT IMPLEMENTING 4 5/13/13/8 CCP,CHKS,PAYG EXPLORATION | Peak-season load readiness
> Load-testing at three times last year's peak finds the bottlenecks before customers do.
- Checkout holds three times last year's peak | Business owners get a capacity report
* Record a production traffic profile | Load-test checkout at three times the peak
* Autoscaling limits for payments | Capacity report for the business owners
? Pick a load-testing tool that replays real traffic
PLAT BACKLOG 3 2/3/8/3 CCP ARCHITECTURAL | Self-service feature flags
> Flags every team can set itself let us release dark and cut rollback time to seconds.
- Teams create flags without a platform ticket | Every flag change is audited
* Feature flag SDK for web and services | Percentage rollouts per market
* Audit log of flag changes | Report of stale flags
DATA IMPLEMENTING 3 8/5/2/5 EVB | Real-time sales dashboard
> Seeing sales by the minute lets the trading team react to a broken campaign the same hour.
- Orders appear on the dashboard within a minute | Conversion drops raise an alert
* Stream order events into the analytics store | Sales by channel and category dashboard
* Hourly alert on conversion drops
? Compare streaming and micro-batch costs for the dashboard
DATA ANALYZING - 5/3/8/8 EVB,SIDX EXPLORATION | Product recommendations
> Recommendations on product and cart pages add 6% to average order value.
? Benchmark collaborative filtering on order history | Estimate the serving cost of live scores
? Review recommendation vendors against an in-house model
DATA BACKLOG 4 3/5/5/5 EVB | Marketing consent centre
> One place for newsletter, text message and personalisation consent keeps us GDPR-safe.
- Shoppers manage every consent in one page | Services read consent from one event stream
* Consent centre page in the customer account | Publish consent changes as events
* Migrate newsletter opt-ins | Consent report for the data protection officer
"""

# Engineering stories every planned feature may carry: (kind, title suffix).
SUPPORTING_STORIES: tuple[tuple[str, str], ...] = (
    ("ENABLER", "contract tests"),
    ("ENABLER", "monitoring and alerts"),
    ("ENABLER", "feature flag and staged rollout"),
    ("ENABLER", "performance test at peak load"),
    ("USER_STORY", "analytics events"),
    ("USER_STORY", "help centre article and support macros"),
    ("USER_STORY", "translations for the German, French and Dutch shops"),
    ("ENABLER", "security review"),
)
STORY_CRITERIA: dict[str, tuple[str, ...]] = {
    "USER_STORY": (
        "Behaves as in the agreed design on web and app.",
        "Covered by automated acceptance tests.",
        "The product owner accepted it in the iteration review.",
    ),
    "ENABLER": (
        "Deployed to staging through the pipeline.",
        "The runbook describes the change.",
        "No regression on the service dashboards.",
    ),
    "SPIKE": (
        "Findings written up in the team wiki.",
        "A recommendation presented at the next refinement session.",
    ),
}
# One open story of each of these features is flagged blocked, for this reason.
BLOCKED_REASONS: tuple[tuple[str, str], ...] = (
    ("One-page guest checkout", "The wording of the account invite needs legal sign-off."),
    ("Buy now, pay later with Klarna", "Waiting for Klarna's approved instalment wording."),
    ("Search cluster upgrade to OpenSearch 2", "Waiting for the platform team's staging cluster."),
    ("Product catalog change events", "Waiting for the schema registry on the event backbone."),
    ("Click and collect in store", "The store till API sandbox is down; a ticket is open."),
    ("Fraud scoring before capture", "The fraud vendor's sandbox contract is not signed yet."),
)
REFINEMENT_TAG = "refine-next"

# Hand-picked feature dependencies: dependent title, prerequisite title, type, note.
FEATURE_DEPENDENCIES: tuple[tuple[str, str, str, str], ...] = tuple(
    (r["dependent"], r["prerequisite"], r["type"], r["note"])
    for r in _table("feature_dependencies")
)

DEPENDENCY_NOTES: tuple[str, ...] = (
    "Both change the {component}; agree the API contract first.",
    "Integration-test together in the system demo environment.",
    "Schema change in the {component}: release behind a feature flag.",
)
CROSS_TEAM_NOTES: tuple[str, ...] = (
    "{team} confirmed the date at PI planning.",
    "{team} reviews the change in the {component}.",
)
CONFLICT_NOTE = (
    "{team} has this in iteration {late} but it is needed in iteration {early}; "
    "raised at the ART sync."
)

# name, kind, day of the planning interval (0 = its first Monday), description
MILESTONES: tuple[tuple[str, str, int, str], ...] = tuple(
    (r["name"], r["kind"], int(r["day"]), r["description"]) for r in _table("milestones")
)

# Refinement history (services.demo.refinement). Each team: "TEAM AGO HH:MM MINUTES", its
# weekly slot (local time, timebox) on the weekday AGO days before today (1-6; the nearest
# working day when that is a weekend), then one line per week of the last four, oldest first:
# "-" before the team's series started, "C reason" cancelled, "H stories" held. Stories on a
# held line, after the ones left over the week before (those come first by themselves):
#   KEY   acceptance criteria and estimate agreed, technical details recorded, covered
#   ~KEY  not reached: left over, it rolls to the next session
#   ?KEY  business value clarified and criteria drafted, no estimate yet, covered
#   ^KEY  ready since an earlier session, refined again: criteria or estimate changed (rework)
# The session after the last line is the next one of the series, with a proposed agenda.
REFINEMENT_TIMEZONE = "Europe/Berlin"
TEAM_REFINEMENT = """
CHK 1 10:00 75
H CHK-117 CHK-119 CHK-142 CHK-143 ~CHK-153
H CHK-105 CHK-106 CHK-107 ~CHK-121
H CHK-124 CHK-125 CHK-126 CHK-104 ~CHK-128
H CHK-129 CHK-130 ^CHK-124 ~CHK-118
PAY 6 14:00 90
-
H PAY-107 PAY-106 PAY-133 PAY-135 PAY-136 ~PAY-109
H PAY-111 PAY-141 PAY-142 PAY-143 ~PAY-145
H ^PAY-111 PAY-122 PAY-123 PAY-124 ~PAY-137
SRCH 2 10:30 60
H SRCH-114 SRCH-115 SRCH-116 SRCH-125 SRCH-126 SRCH-127
C The team joined the OpenSearch 2 cutover rehearsal.
H SRCH-133 SRCH-135 SRCH-128 SRCH-129 SRCH-136 ~SRCH-137
H SRCH-138 SRCH-118 SRCH-119 SRCH-122 ~SRCH-113
CAT 4 13:00 60
-
H CAT-121 CAT-123 CAT-124 CAT-126 CAT-128 ~CAT-125
H CAT-130 CAT-131 CAT-132 CAT-134 ~CAT-112
H CAT-113 CAT-115 CAT-116 ?CAT-114
FUL 3 14:00 60
H FUL-106 FUL-107 FUL-108 FUL-109 FUL-110 ~FUL-135
H FUL-136 FUL-137 FUL-138 FUL-101 FUL-102
C The team is firefighting the carrier label outage.
C The scrum master is on leave and nobody stood in.
LOY 5 14:00 60
-
H LOY-105 LOY-106 LOY-107 LOY-108 ~LOY-110
H LOY-112 LOY-113 ?LOY-111 ?LOY-118
H ?LOY-114 ?LOY-115 ~LOY-116 ~LOY-117 ~LOY-109
PLAT 1 10:00 90
-
H PLAT-118 PLAT-119 PLAT-120 PLAT-121 PLAT-122 ~PLAT-123
H PLAT-133 PLAT-134 PLAT-135 PLAT-136 ~PLAT-132
H PLAT-108 PLAT-110 PLAT-111 PLAT-115 PLAT-112 PLAT-114 ^PLAT-121 ?PLAT-109 ~PLAT-113 ~PLAT-116
DATA 2 10:00 60
-
H DATA-107 DATA-109 DATA-108 DATA-101 ?DATA-102
H DATA-114 DATA-115 DATA-116 DATA-119 ~DATA-118
H ?DATA-113 ^DATA-115 ?DATA-120 ~DATA-117
"""
# Who was invited, by team role (SM PO TL DEV SME), when it was not the usual SM PO TL DEV;
# keyed by team and week (1-4 as above), with the session's notes.
REFINEMENT_ATTENDANCE: dict[tuple[str, int], tuple[str, str]] = {
    ("PAY", 2): ("SM PO TL DEV SME", "Samuel joined for the fraud stories."),
    ("LOY", 4): (
        "SM PO",
        "Amara and Niklas were at the checkout incident review; no "
        "estimates without the developers.",
    ),
}
AGENDA_OVERRIDES: dict[tuple[str, int], str] = {
    ("PLAT", 4): "Release hardening backlog: PO asked to clear the queue",
}
SESSION_OVERRUNS: dict[tuple[str, int], int] = {("PLAT", 4): 95}  # minutes the session took
# The first estimate of a story refined again later (^), when it was not the final one.
DRAFT_ESTIMATES: dict[str, int | str] = {"PAY-111": 5, "DATA-115": "S"}
# Criteria the product owner completed between sessions, working days after it was refined.
CRITERIA_COMPLETED_LATER: dict[str, int] = {"CHK-126": 2}
# Unknowns found in refinement: the story, then its spike's title, timebox days and points.
REFINEMENT_SPIKES: dict[str, tuple[str, int, int]] = {
    "PAY-135": ("Spike: Which chargeback reason codes can the fraud model learn from?", 3, 2),
    "PAY-123": ("Spike: Are the payment providers' refund APIs idempotent?", 2, 1),
    "FUL-137": ("Spike: Measure the downtime of moving the shipment tables", 2, 2),
    "PLAT-133": ("Spike: Compare OpenFeature providers for the flag SDK", 3, 2),
}
# Follow-ups flagged in refinement: item (story or feature key), kind, owner, due in days from
# today (never before the session), note ("" for a blocked story: its blocked reason), and the
# resolution when it was resolved, three working days after the session.
FOLLOW_UPS: tuple[tuple[str, str, str, int, str, str], ...] = tuple(
    (r["item"], r["kind"], r["owner"], int(r["due_in_days"]), r["note"], r["resolution"])
    for r in _table("follow_ups")
)
# Program backlog refinement (RTE facilitates; product management and the architect attend),
# Thursdays 15:00 in the planning interval's first three weeks: "DAY features", DAY counted from
# its first Monday. "+KEY" came out of analysis here: criteria, WSJF and dependencies agreed,
# into the backlog (its teams refine its stories only after that); "~KEY" was not reached.
# The next session, the Thursday from today, holds ART_NEXT.
ART_REFINEMENT = """
3 +SHOP-140 +SHOP-137 SHOP-125 SHOP-129
10 +SHOP-134 SHOP-119 SHOP-115 SHOP-109
17 +SHOP-102 SHOP-127 SHOP-120 SHOP-131 ~SHOP-139
"""
ART_NEXT = ("SHOP-139", "SHOP-132", "SHOP-131", "SHOP-120")
ART_REFINEMENT_TIME = "15:00"
ART_REFINEMENT_MINUTES = 120
# What program backlog refinement recorded: business value notes, technical assumptions.
FEATURE_NOTES: dict[str, tuple[str, str]] = {
    r["feature"]: (r["business_value_notes"], r["technical_assumptions"])
    for r in _table("feature_notes")
}
STORY_NOTES: dict[str, tuple[str, str]] = {  # by story kind
    r["kind"]: (r["non_functional_requirements"], r["test_approach"]) for r in _table("story_notes")
}

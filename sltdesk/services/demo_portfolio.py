"""The demo portfolio's fixed cast: Contoso Retail and its eight suppliers.

Numbers that vary with the seed (charges, thresholds within a band) are drawn in demo.py; everything
here is the story a new user should recognise in five minutes. Later issues add their own tables.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

BUSINESS_UNITS = (
    ("Digital Commerce", "Web shop, mobile app and payments"),
    ("Stores & Logistics", "Store connectivity, warehouses and home delivery"),
    ("Customer Operations", "Customer service, CRM and loyalty"),
)

SERVICES = (
    # name, business unit, owner, description
    ("Online order fulfilment", "Digital Commerce", "Priya Natarajan", "From basket to parcel at the door"),
    ("Card payments", "Digital Commerce", "Tom Berger", "Card and wallet payments in the shop and app"),
    ("Store connectivity", "Stores & Logistics", "Alan Hughes", "WAN and internet for 240 stores"),
    ("Home delivery", "Stores & Logistics", "Maria Rossi", "Parcel delivery and returns"),
    ("Customer service", "Customer Operations", "Jo Okafor", "Contact centre, CRM and ticket handling"),
)

CALENDARS = (
    # name, time zone, hours Mon..Sun, holiday country, subdivision
    ("24x7 London", "Europe/London", ("00:00-24:00",) * 7, "", ""),
    ("UK business hours", "Europe/London", ("08:00-18:00",) * 5 + ("", ""), "GB", "ENG"),
    ("24x7 Frankfurt", "Europe/Berlin", ("00:00-24:00",) * 7, "", ""),
    ("German business hours", "Europe/Berlin", ("08:00-17:00",) * 5 + ("", ""), "DE", "HE"),
    ("US Eastern business hours", "America/New_York", ("08:00-20:00",) * 5 + ("09:00-13:00", ""), "US", "NY"),
)

SUPPLIERS = (
    # name, category, criticality, notes
    ("Stratus Hosting", "cloud hosting", "critical", "IaaS in Frankfurt; VM Cluster FRA runs the web shop"),
    ("Northwind Networks", "network carrier", "critical", "Managed MPLS WAN for stores and offices"),
    ("PayFlow", "payment gateway", "critical", "Card acquiring and 3-D Secure"),
    ("Swift Parcel", "courier", "high", "Next-day parcel delivery, UK mainland"),
    ("HelpPoint Services", "service desk", "high", "Outsourced first- and second-line service desk"),
    ("Relata CRM", "SaaS", "medium", "Customer relationship management (SaaS, US-hosted)"),
    ("Ironvault Data Centres", "data centre", "high", "Colocation for the order management system"),
    ("Fabrikam Software", "software maintenance", "medium", "Maintenance of the warehouse management software"),
)

CONTACTS = (
    # supplier, name, role, e-mail
    ("Stratus Hosting", "Lena Vogt", "Service delivery manager", "lena.vogt@stratus.example"),
    ("Northwind Networks", "Graham Pike", "Account manager", "g.pike@northwind.example"),
    ("Northwind Networks", "NOC", "24x7 network operations", "noc@northwind.example"),
    ("PayFlow", "Inès Laurent", "Customer success", "ines.laurent@payflow.example"),
    ("Swift Parcel", "Dev Patel", "Key account manager", "dev.patel@swiftparcel.example"),
    ("HelpPoint Services", "Sarah Quinn", "Service manager", "sarah.quinn@helppoint.example"),
    ("Relata CRM", "Mark Ellis", "Customer success manager", "mark.ellis@relata.example"),
    ("Ironvault Data Centres", "Fiona Walsh", "Site manager", "f.walsh@ironvault.example"),
    ("Fabrikam Software", "Jonas Berg", "Support lead", "jonas.berg@fabrikam.example"),
)

CONTRACTS = (
    # ref, supplier, title, start, end, currency, base charges, period, renewal, notice days, owner
    ("ST-2024-003", "Stratus Hosting", "IaaS hosting — VM Cluster FRA", "2024-04-01", "2027-03-31", "EUR",
     "31500.00", "month", "tacit", 120, "Tom Berger"),
    ("NW-2025-014", "Northwind Networks", "Managed WAN", "2025-01-01", "2027-12-31", "GBP",
     "48000.00", "month", "express", 180, "Alan Hughes"),
    ("PF-2025-007", "PayFlow", "Payment gateway services", "2025-02-01", "2028-01-31", "EUR",
     "12000.00", "month", "tacit", 90, "Tom Berger"),
    ("SP-2023-021", "Swift Parcel", "Next-day parcel delivery", "2023-03-01", "2027-02-28", "GBP",
     "86000.00", "month", "tacit", 90, "Maria Rossi"),
    ("HP-2024-009", "HelpPoint Services", "Outsourced service desk", "2024-07-01", "2027-06-30", "GBP",
     "39500.00", "month", "express", 120, "Jo Okafor"),
    ("RC-2025-002", "Relata CRM", "CRM subscription", "2025-01-15", "2027-01-14", "USD",
     "96000.00", "year", "tacit", 30, "Jo Okafor"),
    ("IV-2022-005", "Ironvault Data Centres", "Colocation, two racks", "2022-01-01", "2027-01-31", "GBP",
     "14200.00", "month", "tacit", 60, "Priya Natarajan"),
    ("FS-2024-017", "Fabrikam Software", "WMS maintenance and support", "2024-01-01", "2026-12-31", "EUR",
     "54000.00", "quarter", "never", 90, "Maria Rossi"),
    ("ST-2025-011", "Stratus Hosting", "Managed backup service", "2025-06-01", "2027-05-31", "EUR",
     "6400.00", "month", "tacit", 90, "Priya Natarajan"),
    ("NW-2025-019", "Northwind Networks", "Internet breakout", "2025-05-01", "2028-04-30", "GBP",
     "9800.00", "month", "express", 90, "Alan Hughes"),
)

TARGETS = (
    # contract, name, metric, comparison, threshold, unit, period, calendar, description
    ("ST-2024-003", "Availability VM Cluster FRA", "availability", ">=", "99.9", "%", "month", "24x7 Frankfurt",
     "Downtime weighted by impact; planned maintenance in the change calendar excluded"),
    ("ST-2024-003", "P1 response", "response time", ">=", "95", "%", "month", "24x7 Frankfurt",
     "P1 tickets responded to within 30 minutes"),
    ("ST-2024-003", "P2 resolution", "resolution time", ">=", "90", "%", "month", "German business hours",
     "P2 tickets resolved within 8 business hours"),
    ("NW-2025-014", "SL1 Availability", "availability", ">=", "99.95", "%", "month", "24x7 London",
     "MPLS WAN minutes available; maintenance notified 5 business days ahead excluded"),
    ("NW-2025-014", "SL2 P1 response", "response time", ">=", "95", "%", "month", "24x7 London",
     "P1 first response within 15 minutes"),
    ("NW-2025-014", "SL3 P1 resolution", "resolution time", ">=", "90", "%", "month", "24x7 London",
     "P1 resolved within 4 hours"),
    ("NW-2025-014", "SL4 P2 resolution", "resolution time", ">=", "90", "%", "month", "UK business hours",
     "P2 resolved within 8 business hours"),
    ("PF-2025-007", "Availability", "availability", ">=", "99.9", "%", "month", "24x7 Frankfurt",
     "5-minute interval unavailable when more than 5 % of requests fail"),
    ("PF-2025-007", "Latency p95", "latency percentile", ">=", "99", "%", "month", "24x7 Frankfurt",
     "Share of intervals with p95 latency at most 800 ms"),
    ("PF-2025-007", "Error rate", "error rate", "<=", "0.5", "%", "month", "24x7 Frankfurt",
     "Failed requests as a share of all requests"),
    ("SP-2023-021", "On-time delivery", "cycle time percentile", ">=", "97", "%", "month", "UK business hours",
     "Parcels delivered by 18:00 the next working day"),
    ("SP-2023-021", "Delivery cycle time p95", "cycle time percentile", "<=", "30", "h", "month",
     "UK business hours", "95th percentile from collection to delivery"),
    ("SP-2023-021", "Lost parcels", "error rate", "<=", "0.1", "%", "quarter", "UK business hours",
     "Parcels lost or damaged"),
    ("HP-2024-009", "P1 response", "response time", ">=", "95", "%", "month", "UK business hours",
     "P1 calls answered and logged within 10 minutes"),
    ("HP-2024-009", "P2 resolution", "resolution time", ">=", "90", "%", "month", "UK business hours",
     "P2 resolved within 8 business hours, paused while awaiting the user"),
    ("HP-2024-009", "P3 resolution", "resolution time", ">=", "85", "%", "month", "UK business hours",
     "P3 resolved within 3 business days"),
    ("HP-2024-009", "First contact resolution", "resolution time", ">=", "70", "%", "quarter",
     "UK business hours", "Requests closed on first contact"),
    ("RC-2025-002", "Availability", "availability", ">=", "99.5", "%", "month", "US Eastern business hours",
     "Measured in the vendor's US business hours only"),
    ("RC-2025-002", "P1 response", "response time", ">=", "90", "%", "quarter", "US Eastern business hours",
     "P1 support cases answered within 1 hour"),
    ("IV-2022-005", "Power availability", "availability", ">=", "99.99", "%", "month", "24x7 London",
     "A+B power feeds to both racks"),
    ("IV-2022-005", "Remote hands response", "response time", ">=", "95", "%", "month", "24x7 London",
     "Remote hands on site within 30 minutes"),
    ("FS-2024-017", "P1 resolution", "resolution time", ">=", "90", "%", "quarter", "German business hours",
     "Workaround or fix within 1 business day"),
    ("FS-2024-017", "P2 resolution", "resolution time", ">=", "85", "%", "quarter", "German business hours",
     "Fix within 5 business days"),
    ("ST-2025-011", "Backup success", "error rate", "<=", "1", "%", "month", "24x7 Frankfurt",
     "Failed nightly backup jobs"),
    ("ST-2025-011", "Restore time", "response time", ">=", "95", "%", "month", "German business hours",
     "Restores started within 4 business hours"),
    ("NW-2025-019", "Internet availability", "availability", ">=", "99.9", "%", "month", "24x7 London",
     "Internet breakout at both data centres"),
    ("NW-2025-019", "Latency p95", "latency percentile", "<=", "35", "ms", "month", "24x7 London",
     "Round trip to the internet exchange"),
)

CONTINGENCY_PLANS = (
    # supplier, title, trigger, failover, manual workaround, owner, last tested, interval days
    ("Stratus Hosting", "Fail over the web shop to the DR cluster",
     "VM Cluster FRA unavailable for more than 30 minutes",
     "Promote the replica in Amsterdam; switch DNS weights to 100 % AMS",
     "Put the shop into 'browse only' mode with a banner", "Tom Berger", "2026-05-14", 180),
    ("Northwind Networks", "Stores on 4G backup",
     "Store WAN down for more than 15 minutes",
     "Stores' routers fail over to the 4G backup links automatically",
     "Tills take offline card payments up to £100", "Alan Hughes", "2025-09-02", 365),
    ("PayFlow", "Switch acquiring to the secondary gateway",
     "Payment error rate above 5 % for 10 minutes",
     "Route new transactions to the secondary PSP via the payment orchestration layer",
     "Offer pay-by-bank-transfer for large orders", "Tom Berger", "2026-02-20", 180),
    ("Swift Parcel", "Reroute parcels to the backup courier",
     "Collection missed at two or more warehouses on the same day",
     "Book the backup courier through the carrier management system",
     "Customer service informs affected customers and offers a voucher", "Maria Rossi", "2024-11-05", 365),
    ("HelpPoint Services", "In-house major incident bridge",
     "Service desk unreachable or queue time over 30 minutes",
     "Divert the hotline to the in-house IT team's hunt group", "", "Jo Okafor", "2026-08-30", 365),
    ("Ironvault Data Centres", "Run the order management system from the cloud",
     "Power or cooling failure at the colocation site",
     "Start the cold standby in Stratus Hosting from the last backup", "", "Priya Natarajan", None, 365),
)

# The targets' review cycles (sltdesk/rules/target_reviews.py). HelpPoint's P2 resolution assumes 280 P2 tickets a
# month, with 20 % to spare (up to 336); last reviewed on 31 Aug 2026, next due by 31 Mar 2027. October 2026 brought
# 351 (+25.4 %), so the review is brought forward to 1 Nov 2026: overdue on the demo's reference date.
REVIEW_CYCLES: dict[tuple[str, str], dict] = {
    ("HP-2024-009", "P2 resolution"): dict(review_by=date(2027, 3, 31), reviewed_on=date(2026, 8, 31),
                                           expected_volume=Decimal(280), volume_margin=Decimal(20)),
}


"""The IATI code lists an activity file is read with, reduced to what the platform stores (docs/projects.md,
"Importing"): OECD DAC regions to the UN M49 regions projects use, activity statuses to the projects'
statuses, and a few DAC sectors to the starting thematic areas (country codes are ``directory.countries``).
Kept here, small and reviewable, rather than fetched: the platform makes no network call while importing."""

from __future__ import annotations

#: IATI's Region vocabulary 1 (OECD DAC regions) → UN M49 region (projects.reference.Region); "global" for
#: "developing countries, unspecified". Sub-regions go to the continent that holds them; regions that span
#: continents (e.g. 689 "South & Central Asia" is all Asia, 589 "Middle East" is taken as Asia) are noted.
DAC_REGIONS = {
    "289": "002", "298": "002", "189": "002",  # South of Sahara, Africa regional, North of Sahara
    "1027": "002", "1028": "002", "1029": "002", "1030": "002",  # Eastern, Middle, Southern, Western Africa
    "1031": "019", "1032": "019",  # Caribbean, Central America
    "1033": "009", "1034": "009", "1035": "009",  # Melanesia, Micronesia, Polynesia
    "380": "019", "389": "019",  # West Indies, North & Central America
    "489": "019", "498": "019",  # South America, America regional
    "589": "142", "619": "142", "679": "142", "689": "142", "789": "142", "798": "142",  # Middle East, Asias
    "889": "009",  # Oceania
    "89": "150",  # Europe, regional
    "998": "global",  # Developing countries, unspecified
}  # fmt: skip

#: UN M49 codes (Region vocabulary 2) of sub-regions → the M49 region that holds them.
M49_SUBREGIONS = {
    "002": "002", "015": "002", "202": "002", "014": "002", "017": "002", "018": "002", "011": "002",
    "019": "019", "419": "019", "029": "019", "013": "019", "005": "019", "021": "019",
    "142": "142", "143": "142", "030": "142", "035": "142", "034": "142", "145": "142",
    "150": "150", "151": "150", "154": "150", "039": "150", "155": "150",
    "009": "009", "053": "009", "054": "009", "057": "009", "061": "009",
    "001": "global",
}  # fmt: skip

#: IATI ActivityStatus → the project's status. 3 "Finalisation" (the work is done, accounts are being
#: closed) counts as completed; 6 "Suspended" stays ongoing (it has not ended), which the mapping notes.
ACTIVITY_STATUSES = {
    "1": "pipeline", "2": "ongoing", "3": "completed", "4": "completed", "5": "cancelled", "6": "ongoing",
}  # fmt: skip

#: DAC 5-digit sector codes → a starting thematic area (projects.migrations.0002_thematic_areas), where the
#: sector plainly is that theme; every other sector is shown in the mapping and left out. Sectors are kept
#: as they are for the filter (e.g. 152 for conflict, peace and security).
SECTOR_THEMES = {
    "15130": "Criminal justice and the rule of law",  # Legal and judicial development
    "15136": "Border management and law enforcement",  # Immigration
    "15137": "Prosecution, rehabilitation and reintegration",  # Prisons
    "15160": "Human rights",
    "15170": "Gender",  # Women's rights organisations and movements
    "15180": "Gender",  # Ending violence against women and girls
    "15190": "Border management and law enforcement",  # Safe, orderly and regular migration
    "15210": "Border management and law enforcement",  # Security system management and reform
    "15220": "Preventing and countering violent extremism",  # Civilian peace-building, conflict prevention
    "15240": "Prosecution, rehabilitation and reintegration",  # Reintegration and SALW control
}

#: IATI's Tag vocabulary 3: targets of the Sustainable Development Goals ("16.1").
SDG_TARGET_TAG_VOCABULARY = "3"

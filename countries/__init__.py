"""Member State pages: a State's (or regional organisation's) own profile of its counter-terrorism
priorities, challenges and good practices, the sections its organisation page gathers from the content apps,
and the country brief generated from them (docs/countries.md)."""

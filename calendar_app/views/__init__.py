"""The calendar's pages, by what they show: windows, events, exports and feeds (thin: parse, call a
selector or a service, render)."""

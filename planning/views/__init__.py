"""Planning and reporting pages: thin — parse, check the rule, call a selector or a service, render."""

"""The curator's day: the curation queue and the list of one's own changes."""

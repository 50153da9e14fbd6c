"""The network: the members (organisations, informal groups, residents) and people who last from
fair to fair, their sectors and branches, recognising them when they come back, and merging two
records that turn out to be one."""

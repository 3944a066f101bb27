"""LTI writes, by topic (called by the protocol views, the tasks and the pages; never from
signals):

- ``cohorts``: a platform's user as one account, an LMS course as one cohort, roles;
- ``launches``: signing a launch in, binding links, deep-linking content items;
- ``passbacks``: grades back to the LMS gradebook, with retries;
- ``roster``: the course's roster into its cohort.
"""

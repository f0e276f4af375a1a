"""Time budgets for tests that count trials.

A test that expects exactly N trials must be ended by its trial budget, never by its clock:
on a busy two-core machine a tight time budget ends the search early and the count is off.
The budget is ample; a search that finishes its trials ends long before it.
"""

AMPLE_TIME_BUDGET_SECONDS = 600

# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Import of a CSV dataset (SPEC §6): every file is validated whole before anything is written.

`dataset_import(directory=...)` reads workers.csv, youths.csv, trajectories.csv, periods.csv,
time_entries.csv, outcomes.csv (required), cost_items.csv, follow_ups.csv and working_elements.csv
(optional), and the optional columns youths.csv `reported_on, first_contact_on` and
trajectories.csv `funding_source`. Every problem in any file is
collected as `file:line: column: message` (line = the physical line in the file, the header is line 1)
and raised together as `DatasetInvalid`; only a clean dataset is written, in one transaction, with
bulk operations and a bounded number of queries whatever the number of rows.

Ids are external keys, so importing the same files again changes nothing:
- workers by `worker_id` (Worker.external_id), their fte periods by (worker, fte_from);
- youths by `youth_id`, trajectories by `trajectory_id`, each within its organisation (two
  organisations may use the same key, SPEC §8): a key is looked up among the organisations of the
  dataset's workers, and one dataset cannot name a key that several of its organisations use;
  periods by (trajectory, start_date), outcomes by (trajectory, outcome, date);
- time entries and cost items have no id: they are keyed by a hash of their content plus their
  occurrence number in the file (`import_key`), so two identical rows stay two rows; a cost item's
  content includes its organisation, a time entry's its worker (whose key is unique over all);
- durability checks by (outcome, months_after), the outcome by (trajectory, outcome, outcome_date)
  in outcomes.csv or imported earlier; working elements by (trajectory, element name), the names
  created per organisation when new.
An unchanged row writes nothing (no `updated_at` churn); a changed row with the same key updates the
record. The import adds and updates, it never deletes.

Decisions where SPEC.md is silent:
- Missing or duplicate header columns make a file unusable: its rows are not checked and ids that
  point into it are not reported as unknown (that would only repeat the header error).
- An empty `complexity` or `funding_source` means the model default (licht, gemeente); other empty
  cells clear the field. An absent optional column leaves the field of an earlier import as it is.
- Imported outcomes plan no durability checks (SPEC §4b): their checks are the rows of
  follow_ups.csv, due `months_after` calendar months after the outcome date. An empty answer does
  not clear an answer given since the earlier import; an outcome of any type may have checks (the
  position rule reads only those of its sets).
- Working elements are only added: an element no longer in the file stays ticked.
- A worker keeps their organisation: moving an imported worker to another organisation is an error
  (their youths and trajectories would silently change tenant). A period's worker and a time entry's
  worker must belong to the organisation of the trajectory.
- A cost item with only an approach belongs to that approach in the dataset's organisation; when the
  dataset has several organisations the approach name must be unambiguous among them.
- Trajectories cover [start_date, end_date) for the "never twice in one approach at once" rule, like
  the database constraint: a trajectory that ends on day d and one that starts on day d may follow on.
"""

from cases.dataset.importing import dataset_import
from cases.dataset.reading import COLUMNS, OPTIONAL_FILES, DatasetInvalid, ImportResult, RecordCounts

__all__ = ["COLUMNS", "OPTIONAL_FILES", "DatasetInvalid", "ImportResult", "RecordCounts", "dataset_import"]

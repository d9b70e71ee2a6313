/** A hand-made timeliness report of one month, as an agency's might look: the page's and the table's tests, and the README's screenshot. */
import type { TimelinessCounts, TimelinessReport } from '../../domain/reporting/timeliness-report.ts';

const counts = (denominator: number, numerator: number, metLate: number, overdue: number, dischargedOverdue: number): TimelinessCounts => ({
  denominator,
  numerator,
  metLate,
  overdue,
  dischargedOverdue,
  rate: denominator === 0 ? null : Math.round((numerator / denominator) * 100) / 100,
});

export function representativeReport(): TimelinessReport {
  const lateItems: TimelinessReport['lateItems'] = [
    { task: 'Task/t-1041', code: 'CIP-INITIAL', owner: 'Practitioner/spec-chen', dueDate: '2026-11-03', outcome: 'met-late' },
    { task: 'Task/t-1057', code: 'POST-HOSPITAL-CONTACT', owner: 'Practitioner/spec-ames', dueDate: '2026-11-06', outcome: 'met-late' },
    { task: 'Task/t-1062', code: 'NOTE-INDIVIDUAL', owner: 'Practitioner/spec-diaz', dueDate: '2026-11-09', outcome: 'overdue' },
    { task: 'Task/t-1088', code: 'DISCHARGE-PLAN', owner: 'Practitioner/spec-chen', dueDate: '2026-11-12', outcome: 'discharged-overdue' },
    { task: 'Task/t-1090', code: 'QR', owner: 'Practitioner/spec-baker', dueDate: '2026-11-13', outcome: 'met-late' },
    { task: 'Task/t-1102', code: 'POST-HOSPITAL-CONTACT', owner: 'Practitioner/spec-chen', dueDate: '2026-11-17', outcome: 'met-late' },
    { task: 'Task/t-1115', code: 'CIP-INITIAL', owner: 'Practitioner/spec-ames', dueDate: '2026-11-20', outcome: 'overdue' },
    { task: 'Task/t-1121', code: 'NOTE-INDIVIDUAL', owner: 'Practitioner/spec-diaz', dueDate: '2026-11-24', outcome: 'met-late' },
    { task: 'Task/t-1130', code: 'NOTE-INDIVIDUAL', owner: 'Practitioner/spec-chen', dueDate: '2026-11-26', outcome: 'overdue' },
  ];
  return {
    period: { start: '2026-11-01', end: '2026-11-30' },
    ...counts(48, 39, 5, 3, 1),
    initialPopulation: 55,
    denominatorExclusion: 7,
    notYetDue: 0,
    byCode: {
      'ANNUAL-ASSESSMENT': counts(3, 3, 0, 0, 0),
      'CIP-INITIAL': counts(6, 4, 1, 1, 0),
      'DISCHARGE-PLAN': counts(2, 1, 0, 0, 1),
      'POST-HOSPITAL-CONTACT': counts(4, 2, 2, 0, 0),
      QR: counts(9, 8, 1, 0, 0),
      'NOTE-INDIVIDUAL': counts(24, 21, 1, 2, 0),
    },
    bySpecialist: {
      'Practitioner/spec-ames': counts(17, 15, 1, 1, 0),
      'Practitioner/spec-baker': counts(14, 13, 1, 0, 0),
      'Practitioner/spec-chen': counts(12, 8, 2, 1, 1),
      'Practitioner/spec-diaz': counts(5, 3, 1, 1, 0),
    },
    late: lateItems.map((item) => item.task),
    lateItems,
  };
}

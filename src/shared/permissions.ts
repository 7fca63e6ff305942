/** Roles and the permission matrix: the one place that says who may do what. */
export const ROLES = ['officer', 'collector', 'supervisor', 'risk', 'archivist', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users.manage',
  'settings.manage',
  'audit.verify',
  'portfolio.read',
  'portfolio.write',
  'portfolio.import',
  'repayments.write',
  'classification.propose',
  'classification.approve',
  'batch.run',
  'inspections.write',
  'reports.review',
  'reports.accept',
  'warnings.catalogue',
  'warnings.raise',
  'warnings.handle',
  'warnings.confirm',
  'worklog.write',
  'worklog.comment',
  'archive.export',
  'archive.manage',
  'archive.approveDestruction',
  'collections.print',
  'collections.write',
  'collections.templates',
  'loanchanges.approve',
  'writeoff.final',
  'archive.import',
  'loans.reassign',
  'portfolio.reports',
  'repayments.approve',
  'collections.assign',
  'collections.queue',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_MATRIX: Record<Role, readonly Permission[]> = {
  officer: ['portfolio.read', 'portfolio.write', 'portfolio.import', 'repayments.write', 'classification.propose', 'inspections.write', 'warnings.raise', 'warnings.handle', 'worklog.write', 'collections.print', 'collections.write'],
  supervisor: [
    'portfolio.read',
    'portfolio.write',
    'portfolio.import',
    'repayments.write',
    'classification.propose',
    'classification.approve',
    'batch.run',
    'inspections.write',
    'reports.review',
    'warnings.raise',
    'warnings.handle',
    'warnings.confirm',
    'worklog.write',
    'worklog.comment',
    'archive.export',
    'archive.approveDestruction',
    'collections.print',
    'collections.write',
    'loanchanges.approve',
    'loans.reassign',
    'portfolio.reports',
    'repayments.approve',
    'collections.assign',
  ],
  // 催收员: works the overdue loans assigned to them (collections/queue.ts), nothing else of the branch's.
  collector: ['portfolio.read', 'collections.print', 'collections.write', 'collections.queue', 'worklog.write'],
  risk: ['portfolio.read', 'audit.verify', 'classification.propose', 'batch.run', 'reports.accept', 'warnings.catalogue', 'warnings.raise', 'worklog.write', 'archive.approveDestruction', 'collections.print', 'collections.templates', 'writeoff.final', 'archive.import', 'portfolio.reports'],
  archivist: ['portfolio.read', 'archive.export', 'archive.manage', 'archive.import'],
  // The administrator runs the system but sees no loan data unless also given a business role.
  admin: ['users.manage', 'settings.manage', 'audit.verify'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of PERMISSION_MATRIX[r]) out.add(p);
  return out;
}

/** Officers see the loans they are responsible for; every other business role sees the branch's. */
export function seesAllLoans(roles: readonly Role[]): boolean {
  return roles.some((r) => r === 'supervisor' || r === 'risk' || r === 'archivist');
}

export function can(roles: readonly Role[], p: Permission): boolean {
  return roles.some((r) => PERMISSION_MATRIX[r].includes(p));
}

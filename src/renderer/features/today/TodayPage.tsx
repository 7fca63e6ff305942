import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { ProvisionalBadge } from '../../components/ProvisionalBadge';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../shared/ipc/app';
import type { ReportQueueItem } from '../../../shared/ipc/reports';
import { addDays } from '../../../shared/domain';
import { INSPECTION_HORIZON_DAYS, type TodayView, type TodayWarning } from '../../../shared/ipc/today';
import { can, type Role } from '../../../shared/permissions';
import { LevelBadge, NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useWarningWords } from '../../lib/warningWords';
import { foldLabel } from './fold';
import { formatDateTime, formatDay } from '../../lib/format';
import { useIpcQuery } from '../../lib/data/useIpc';
import { yuan } from '../../lib/money';
import { useNav, type Nav } from '../../lib/nav';
import { useSession } from '../../lib/session';
import { PortfolioFacts } from '../home/PortfolioFacts';
import { ReportStatusBadge } from '../inspections/InspectionTable';
import { useStaffNames } from '../inspections/names';
import { WarningLevelBadge, WarningStatusBadge } from '../warnings/badges';
import { to, type Target } from '../../routes/links';

type SectionKey =
  | 'inspections'
  | 'reportsToWrite'
  | 'reportsToReview'
  | 'reportsToAccept'
  | 'warningsToHandle'
  | 'warningsToConfirm'
  | 'reviewSuggested'
  | 'worklogBehind'
  | 'commentsDue'
  | 'classifications'
  | 'reminders'
  | 'limitation'
  | 'brokenPromises'
  | 'receiptsToChase'
  | 'legal'
  | 'plansToDecide'
  | 'changesToDecide'
  | 'overdueLendings'
  | 'archiveGaps';

interface Section {
  key: SectionKey;
  count: number;
  overdue: number;
  items: ReactNode[];
  hint?: string;
  /** The list that shows what the count counts, filtered as it is; the count (and "more") opens it. */
  list?: Target;
}

/** How many items a section lists before "show all". */
const FOLD = 5;

/** 我的工作台: everything the signed-in user has to do, by role, each item opening the place to act. */
export function TodayPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const words = useWarningWords();
  const session = useSession();
  const nav = useNav();
  const name = useStaffNames();
  const today = useIpcQuery('today.get', {});
  const view = today.data ?? null;

  const sections = view ? sectionsOf(view, { t, locale, nav, roles: session.roles, me: session.username, name, words }) : [];
  const total = sections.reduce((n, s) => n + s.count, 0);
  // The last answer stays on screen while the page asks again (after a write, or on coming back): busy till then.
  return (
    <Stack gap="md" data-testid="today" aria-busy={today.isFetching}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2} size="h3">
            {t('todayUi.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('home.welcome', { name: session.displayName })}
          </Text>
        </Stack>
      </Group>
      <PortfolioFacts />
      {!view ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <>
          {total === 0 && (
            <Alert color="green" variant="light">
              {t('todayUi.nothing')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            {sections.map((s) => (
              <SectionCard key={s.key} section={s} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function SectionCard({ section: s }: { section: Section }) {
  const { t } = useTranslation();
  const nav = useNav();
  const list = s.list;
  const [all, setAll] = useState(false);
  const shown = all ? s.items : s.items.slice(0, FOLD);
  return (
    <Paper withBorder p="md" data-testid={`today-${s.key}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <Stack gap={0}>
          <Text fw={600}>{t(`todayUi.section.${s.key}`)}</Text>
          {s.hint && (
            <Text size="xs" c="dimmed">
              {s.hint}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {s.overdue > 0 && (
            <Badge color="red" variant="filled" style={NO_SHRINK} data-testid={`today-overdue-${s.key}`}>
              {t('todayUi.overdueCount', { count: s.overdue })}
            </Badge>
          )}
          <Text
            fz={26}
            fw={700}
            lh={1}
            c={s.overdue > 0 ? 'red.7' : s.count > 0 ? undefined : 'dimmed'}
            data-testid={`today-count-${s.key}`}
            {...(list ? { component: 'button' as const, type: 'button' as const, title: t('todayUi.openList'), 'aria-label': `${t(`todayUi.section.${s.key}`)} ${s.count}`, onClick: () => nav.navigate(list), className: 'lk-count-link' } : {})}
          >
            {s.count}
          </Text>
        </Group>
      </Group>
      {s.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('todayUi.none')}
        </Text>
      ) : (
        <Stack gap={0}>
          {shown}
          {s.items.length > FOLD && (
            <Button variant="subtle" size="compact-xs" mt={4} w="fit-content" onClick={() => setAll(!all)}>
              {foldLabel((key, params) => t(key, params ?? {}), { unfolded: all, listed: s.items.length, total: s.count })}
            </Button>
          )}
          {s.count > s.items.length && (
            <Text size="xs" c="dimmed" mt={4}>
              {list ? (
                <Anchor component="button" type="button" size="xs" onClick={() => nav.navigate(list)}>
                  {t('todayUi.moreHidden', { count: s.count - s.items.length })}
                </Anchor>
              ) : (
                t('todayUi.moreHidden', { count: s.count - s.items.length })
              )}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/** One thing to do: what it is about, how urgent, and the button that opens the place to do it. */
function Item({ title, detail, badges, due, overdue, action, onAct, testId }: { title: ReactNode; detail?: ReactNode; badges?: ReactNode; due?: string; overdue?: boolean; action: string; onAct: () => void; testId: string }) {
  return (
    <Group justify="space-between" wrap="nowrap" py={6} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-testid={testId}>
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          {title}
          {badges}
        </Group>
        {(detail || due) && (
          <Group gap={8} wrap="nowrap">
            {due && (
              <Text size="xs" c={overdue ? 'red.7' : 'dimmed'} fw={overdue ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>
                {due}
              </Text>
            )}
            {detail && (
              <Text size="xs" c="dimmed" truncate="end">
                {detail}
              </Text>
            )}
          </Group>
        )}
      </Stack>
      <Button size="compact-xs" variant={overdue ? 'filled' : 'light'} color={overdue ? 'red' : undefined} onClick={onAct} style={NO_SHRINK}>
        {action}
      </Button>
    </Group>
  );
}

function LoanTitle({ contractNo, borrowerName }: { contractNo: string; borrowerName: string }) {
  return (
    <Text size="sm" truncate="end">
      <Text span ff="monospace" size="sm">
        {contractNo}
      </Text>{' '}
      {borrowerName}
    </Text>
  );
}

interface Ctx {
  t: TFunction;
  locale: Locale;
  nav: Nav;
  roles: readonly Role[];
  me: string;
  name: (username: string | null | undefined) => string;
  words: ReturnType<typeof useWarningWords>;
}

/** The sections this user's roles have, in the order of the day's work. */
function sectionsOf(v: TodayView, { t, locale, nav, roles, me, name, words }: Ctx): Section[] {
  const fieldStaff = roles.includes('officer') || roles.includes('supervisor');
  const supervisor = roles.includes('supervisor');
  const dueText = (date: string, overdue: boolean) => `${t('todayUi.due', { date: formatDay(date, locale) })}${overdue ? ` · ${t('todayUi.overdue')}` : ''}`;
  const count = (items: { overdue: boolean }[]) => items.filter((i) => i.overdue).length;

  const report = (r: ReportQueueItem, action: string, key: string) => (
    <Item
      key={`${key}-${r.reportId ?? `i${r.inspectionId}`}`}
      testId={`today-item-${key}`}
      title={<LoanTitle contractNo={r.contractNo} borrowerName={r.borrowerName} />}
      badges={
        <>
          <Badge size="xs" variant="outline" color="gray" style={NO_SHRINK}>
            {t(`warnings.inspectionKind.${r.kind}`)}
          </Badge>
          {r.status === 'planned' ? (
            <Badge size="sm" variant="light" color="gray" style={NO_SHRINK}>
              {t('todayUi.notStarted')}
            </Badge>
          ) : (
            <ReportStatusBadge status={r.status} />
          )}
          <ProvisionalBadge show={r.provisional} />
        </>
      }
      due={dueText(r.due, r.overdue)}
      overdue={r.overdue}
      detail={key === 'write' ? undefined : name(r.officer)}
      action={action}
      onAct={() => nav.navigate(r.reportId ? to.report(r.reportId) : to.newReport(r.inspectionId, r.loanId))}
    />
  );
  const warning = (w: TodayWarning, action: string, key: string) => (
    <Item
      key={`${key}-${w.warningId}`}
      testId={`today-item-${key}`}
      title={<LoanTitle contractNo={w.contractNo} borrowerName={w.borrowerName} />}
      badges={
        <>
          <WarningLevelBadge level={w.level} />
          <WarningStatusBadge status={w.status} />
        </>
      }
      due={dueText(w.planDue, w.overdue)}
      overdue={w.overdue}
      detail={key === 'handle' ? words.signal(w.signalNames) : `${words.signal(w.signalNames)} · ${name(w.owner)}`}
      action={action}
      onAct={() => (key === 'suggest' ? nav.navigate(to.loan(w.loanId, 'classification')) : nav.navigate(to.warning(w.warningId)))}
    />
  );

  const out: Section[] = [];
  if (fieldStaff) {
    out.push({
      key: 'inspections',
      count: v.counts.inspections,
      // Planned visits due by the horizon (the overdue among them).
      list: to.inspections({ dueTo: addDays(v.asOf, INSPECTION_HORIZON_DAYS) }),
      overdue: v.counts.inspectionsOverdue,
      hint: t('todayUi.hint.inspections'),
      items: v.inspections.map((i) => (
        <Item
          key={`insp-${i.inspectionId}`}
          testId="today-item-inspection"
          title={<LoanTitle contractNo={i.contractNo} borrowerName={i.borrowerName} />}
          badges={
            <>
              <Badge size="xs" variant="outline" color={i.kind === 'special' ? 'red' : 'gray'} style={NO_SHRINK}>
                {t(`warnings.inspectionKind.${i.kind}`)}
              </Badge>
              <ProvisionalBadge show={i.provisional} />
            </>
          }
          due={dueText(i.dueDate, i.overdue)}
          overdue={i.overdue}
          detail={supervisor ? name(i.officer) : undefined}
          action={i.officer === me ? t('todayUi.action.inspect') : t('todayUi.action.open')}
          onAct={() =>
            // A supervisor sees the team's visits; the loan's officer makes them.
            i.officer === me ? nav.navigate(to.newReport(i.inspectionId, i.loanId)) : nav.navigate(to.loan(i.loanId, 'inspections'))
          }
        />
      )),
    });
    out.push({ key: 'reportsToWrite', count: v.counts.reportsToWrite, overdue: count(v.reports.toWrite), items: v.reports.toWrite.map((r) => report(r, t('todayUi.action.write'), 'write')) });
  }
  if (supervisor) out.push({ key: 'reportsToReview', count: v.counts.reportsToReview, overdue: count(v.reports.toReview), items: v.reports.toReview.map((r) => report(r, t('todayUi.action.review'), 'review')) });
  if (roles.includes('risk')) out.push({ key: 'reportsToAccept', count: v.counts.reportsToAccept, overdue: count(v.reports.toAccept), items: v.reports.toAccept.map((r) => report(r, t('todayUi.action.accept'), 'accept')) });
  if (can(roles, 'warnings.handle'))
    out.push({ key: 'warningsToHandle', count: v.counts.warningsToHandle, overdue: count(v.warnings.toHandle), items: v.warnings.toHandle.map((w) => warning(w, t('todayUi.action.handle'), 'handle')) });
  if (can(roles, 'warnings.confirm'))
    out.push({ key: 'warningsToConfirm', count: v.counts.warningsToConfirm, overdue: 0, items: v.warnings.toConfirm.map((w) => warning(w, t('todayUi.action.confirm'), 'confirm')) });
  if (supervisor || roles.includes('risk'))
    out.push({ key: 'reviewSuggested', count: v.counts.reviewSuggested, overdue: 0, items: v.warnings.reviewSuggested.map((w) => warning(w, t('todayUi.action.open'), 'suggest')) });
  if (can(roles, 'classification.approve'))
    out.push({
      key: 'classifications',
      count: v.counts.classifications,
      overdue: 0,
      items: v.classifications.map((c) => (
        <Item
          key={`cls-${c.proposalId}`}
          testId="today-item-classification"
          title={<LoanTitle contractNo={c.contractNo} borrowerName={c.borrowerName} />}
          badges={<LevelBadge level={c.level} />}
          detail={t('todayUi.proposedBy', { name: name(c.proposedBy) })}
          due={formatDateTime(c.proposedAt, locale)}
          action={t('todayUi.action.approve')}
          onAct={() => nav.navigate(to.classification())}
        />
      )),
    });
  if (fieldStaff)
    out.push({
      key: 'worklogBehind',
      count: v.counts.worklogBehind,
      overdue: 0,
      items: v.worklog.behind.map((g) => (
        <Item
          key={`gap-${g.borrowerId}-${g.officer}`}
          testId="today-item-gap"
          title={
            <Text size="sm" truncate="end">
              {g.borrowerName}
            </Text>
          }
          detail={[supervisor ? name(g.officer) : null, g.lastEntryDate ? t('todayUi.lastEntry', { date: formatDay(g.lastEntryDate, locale) }) : t('todayUi.never')].filter(Boolean).join(' · ')}
          action={g.officer === me ? t('todayUi.action.log') : t('todayUi.action.open')}
          onAct={() => nav.navigate(to.worklog(g.borrowerId))}
        />
      )),
    });
  if (can(roles, 'worklog.comment'))
    out.push({
      key: 'commentsDue',
      count: v.counts.commentsDue,
      overdue: v.counts.commentsOverdue,
      items: v.worklog.commentsDue.map((c) => (
        <Item
          key={`cmt-${c.entryId}`}
          testId="today-item-comment"
          title={
            <Text size="sm" truncate="end">
              {c.borrowerName}
            </Text>
          }
          badges={
            <Badge size="xs" variant="outline" color="gray" style={NO_SHRINK}>
              {t(`worklog.kind.${c.kind}`)}
            </Badge>
          }
          detail={`${name(c.author)} · ${formatDay(c.entryDate, locale)}`}
          due={dueText(c.commentDue, c.overdue)}
          overdue={c.overdue}
          action={t('todayUi.action.comment')}
          onAct={() => nav.navigate(to.worklog(c.borrowerId))}
        />
      )),
    });
  if (fieldStaff)
    out.push({
      key: 'reminders',
      count: v.counts.reminders,
      overdue: 0,
      hint: t('todayUi.hint.reminders', { days: v.reminderDays }),
      items: v.reminders.map((r) => (
        <Item
          key={`rem-${r.loanId}-${r.period}`}
          testId="today-item-reminder"
          title={<LoanTitle contractNo={r.contractNo} borrowerName={r.borrowerName} />}
          badges={
            <Badge size="xs" variant="light" color={r.daysLeft === 0 ? 'orange' : 'blue'} style={NO_SHRINK}>
              {r.daysLeft === 0 ? t('todayUi.dueToday') : t('todayUi.dueIn', { count: r.daysLeft })}
            </Badge>
          }
          due={`${t('todayUi.period', { period: r.period })} · ${formatDay(r.dueDate, locale)}`}
          detail={
            <>
              {t('todayUi.amountDue', { amount: yuan(r.amountDueFen) })}
              {r.borrowerPhone && ` · ${r.borrowerPhone}`}
            </>
          }
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.loan(r.loanId, 'schedule'))}
        />
      )),
    });
  return [...out, ...collectionSections(v, { t, locale, nav, roles, me, name, words }), ...archiveSections(v, { t, locale, nav, roles, me, name, words })];
}

/** Collections: limitation periods running out, broken promises, receipts not back, requests to decide. */
function collectionSections(v: TodayView, { t, locale, nav, roles, name }: Ctx): Section[] {
  const c = v.collections;
  if (!c) return [];
  const out: Section[] = [];
  if (can(roles, 'collections.write') || can(roles, 'collections.print')) {
    out.push({
      key: 'limitation',
      count: c.counts.limitation,
      overdue: c.limitation.filter((l) => l.warning === 'expired').length,
      hint: t('todayUi.hint.limitation'),
      items: c.limitation.map((l) => (
        <Item
          key={`lim-${l.loanId}`}
          testId="today-item-limitation"
          title={<LoanTitle contractNo={l.contractNo} borrowerName={l.borrowerName} />}
          badges={
            <Badge size="xs" variant="light" color={l.warning === 'expired' || l.warning === '30' ? 'red' : 'orange'} style={NO_SHRINK}>
              {t(`limitationUi.warning.${l.warning}`)}
            </Badge>
          }
          due={l.daysLeft < 0 ? t('limitationUi.expiredDays', { days: -l.daysLeft }) : `${t('limitationUi.expiry')} ${formatDay(l.expiry, locale)}`}
          overdue={l.warning === 'expired'}
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.loan(l.loanId, 'limitation'))}
        />
      )),
    });
    out.push({
      key: 'brokenPromises',
      count: c.counts.brokenPromises,
      overdue: c.counts.brokenPromises,
      items: c.brokenPromises.map((p) => (
        <Item
          key={`prm-${p.promiseId}`}
          testId="today-item-promise"
          title={<LoanTitle contractNo={p.contractNo} borrowerName={p.borrowerName} />}
          due={t('todayUi.promisedOn', { date: formatDay(p.promiseDate, locale) })}
          overdue
          detail={t('todayUi.promisedPaid', { amount: yuan(p.amountFen), paid: yuan(p.paidFen) })}
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.loan(p.loanId, 'collections'))}
        />
      )),
    });
    out.push({
      key: 'receiptsToChase',
      count: c.counts.receiptsToChase,
      overdue: 0,
      hint: t('todayUi.hint.receiptsToChase'),
      items: c.receiptsToChase.map((r) => (
        <Item
          key={`rcp-${r.serial}`}
          testId="today-item-receipt"
          title={<LoanTitle contractNo={r.contractNo} borrowerName={r.addressee} />}
          due={t('todayUi.printedOn', { date: formatDay(r.printedOn, locale) })}
          detail={r.serial}
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.receipts())}
        />
      )),
    });
  }
  if (can(roles, 'collections.write'))
    out.push({
      key: 'legal',
      count: c.counts.legal,
      overdue: c.legal.filter((l) => l.daysLeft < 0).length,
      hint: t('todayUi.hint.legal'),
      items: c.legal.map((l) => (
        <Item
          key={`legal-${l.kind}-${l.loanId}-${l.due}-${l.subject}`}
          testId="today-item-legal"
          title={<LoanTitle contractNo={l.contractNo} borrowerName={l.borrowerName} />}
          badges={
            <Badge size="xs" variant="light" color={l.daysLeft < 0 || l.daysLeft <= 7 ? 'red' : 'orange'} style={NO_SHRINK}>
              {t(`todayUi.legal.${l.kind}`)}
            </Badge>
          }
          due={l.daysLeft < 0 ? t('todayUi.legal.passed', { date: formatDay(l.due, locale), count: -l.daysLeft }) : t('todayUi.legal.by', { date: formatDay(l.due, locale), count: l.daysLeft })}
          overdue={l.daysLeft < 0}
          detail={[l.caseNo, l.subject].filter(Boolean).join(' · ')}
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.loan(l.loanId, 'legal'))}
        />
      )),
    });
  if (can(roles, 'classification.approve'))
    out.push({
      key: 'plansToDecide',
      count: c.counts.plansToDecide,
      overdue: 0,
      items: c.plansToDecide.map((p) => (
        <Item
          key={`plan-${p.planId}`}
          testId="today-item-plan"
          title={<LoanTitle contractNo={p.contractNo} borrowerName={p.borrowerName} />}
          badges={
            <Badge size="xs" variant="outline" color="grape" style={NO_SHRINK}>
              {t(`legalUi.methods.${p.method}`)}
            </Badge>
          }
          detail={t('todayUi.appliedBy', { name: name(p.proposedBy), date: formatDateTime(p.proposedAt, locale) })}
          action={t('todayUi.action.approve')}
          onAct={() => nav.navigate(to.loan(p.loanId, 'legal'))}
        />
      )),
    });
  if (can(roles, 'loanchanges.approve') || can(roles, 'writeoff.final'))
    out.push({
      key: 'changesToDecide',
      count: c.counts.changesToDecide,
      overdue: 0,
      items: c.changesToDecide.map((ch) => (
        <Item
          key={`chg-${ch.id}`}
          testId="today-item-change"
          title={<LoanTitle contractNo={ch.contractNo} borrowerName="" />}
          badges={
            <Badge size="xs" variant="outline" color="gray" style={NO_SHRINK}>
              {t(`changesUi.kind.${ch.kind}`)}
            </Badge>
          }
          detail={t('todayUi.appliedBy', { name: name(ch.applicant), date: formatDay(ch.appliedOn, locale) })}
          action={t('todayUi.action.approve')}
          onAct={() => nav.navigate(to.approvals())}
        />
      )),
    });
  return out;
}

/** The archive: paper files out past their return date, loans whose files are incomplete. */
function archiveSections(v: TodayView, { t, locale, nav, roles, name }: Ctx): Section[] {
  const a = v.archive;
  if (!a || !can(roles, 'archive.manage')) return [];
  return [
    {
      key: 'overdueLendings',
      count: a.counts.overdueLendings,
      list: to.archive({ tab: 'lendings' }),
      overdue: a.counts.overdueLendings,
      items: a.overdueLendings.map((l) => (
        <Item
          key={`lend-${l.loanId}-${l.dueBack}`}
          testId="today-item-lending"
          title={<LoanTitle contractNo={l.contractNo} borrowerName="" />}
          due={`${t('todayUi.dueBack', { date: formatDay(l.dueBack, locale) })} · ${t('todayUi.daysOver', { count: l.daysOver })}`}
          overdue
          detail={name(l.borrowerUser)}
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.archive())}
        />
      )),
    },
    {
      key: 'archiveGaps',
      count: a.counts.gaps,
      list: to.archive({ tab: 'gaps' }),
      overdue: 0,
      hint: t('todayUi.hint.archiveGaps'),
      items: a.gaps.map((g) => (
        <Item
          key={`agap-${g.loanId}`}
          testId="today-item-archive-gap"
          title={<LoanTitle contractNo={g.contractNo} borrowerName={g.borrowerName} />}
          badges={
            <Badge size="xs" variant="light" color="orange" style={NO_SHRINK}>
              {t('todayUi.missingItems', { count: g.missing })}
            </Badge>
          }
          detail={name(g.officer)}
          action={t('todayUi.action.open')}
          onAct={() => nav.navigate(to.loan(g.loanId, 'documents'))}
        />
      )),
    },
  ];
}

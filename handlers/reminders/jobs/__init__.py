"""Every reminder job, one module each, by rule name (the names ``jobs run`` accepts)."""

from handlers.reminders.jobs.base import Job
from handlers.reminders.jobs.draft_expiring import DraftExpiringJob
from handlers.reminders.jobs.home_visit_weekly import HomeVisitWeeklyJob
from handlers.reminders.jobs.lokmin import LOKMIN_BULANAN, LOKMIN_TRIBULANAN
from handlers.reminders.jobs.lokmin_meetings import LokminDataJob, LokminMeetingJob
from handlers.reminders.jobs.posyandu_day import PosyanduDayJob
from handlers.reminders.jobs.rapat import MeetingReminderJob
from handlers.reminders.jobs.report_due import ReportDueJob
from handlers.reminders.jobs.report_overdue import ReportOverdueJob
from handlers.reminders.jobs.summary_snapshot import SummarySnapshotJob

JOBS: dict[str, Job] = {
    job.rule.name: job
    for job in (
        PosyanduDayJob(),
        ReportDueJob(),
        ReportOverdueJob(),
        LOKMIN_BULANAN,
        LOKMIN_TRIBULANAN,
        LokminMeetingJob(),
        LokminDataJob(),
        MeetingReminderJob(),
        DraftExpiringJob(),
        HomeVisitWeeklyJob(),
        SummarySnapshotJob(),
    )
}

__all__ = ["JOBS", "Job"]

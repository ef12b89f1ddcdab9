"""Every reminder job, one module each, by rule name (the names ``jobs run`` accepts)."""

from bot.scheduler.jobs.base import Job
from bot.scheduler.jobs.draft_expiring import DraftExpiringJob
from bot.scheduler.jobs.lokmin import LOKMIN_BULANAN, LOKMIN_TRIBULANAN
from bot.scheduler.jobs.posyandu_day import PosyanduDayJob
from bot.scheduler.jobs.report_due import ReportDueJob
from bot.scheduler.jobs.report_overdue import ReportOverdueJob
from bot.scheduler.jobs.summary_snapshot import SummarySnapshotJob

JOBS: dict[str, Job] = {
    job.rule.name: job
    for job in (
        PosyanduDayJob(),
        ReportDueJob(),
        ReportOverdueJob(),
        LOKMIN_BULANAN,
        LOKMIN_TRIBULANAN,
        DraftExpiringJob(),
        SummarySnapshotJob(),
    )
}

__all__ = ["JOBS", "Job"]

"""Settings of the dispatch service (environment prefix ``TRC_DISPATCH_``)."""

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.dispatch.domain.deadlines import Deadlines
from services.dispatch.domain.rules import DispatchRules
from shared.settings import ServiceSettings


class DispatchSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_DISPATCH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "dispatch"
    http_port: int = 8002
    ack_p1_seconds: int = Field(default=120, gt=0, description="P1 must be accepted within this")
    ack_p2_seconds: int = Field(default=300, gt=0, description="P2 must be accepted within this")
    ack_p3_seconds: int = Field(default=900, gt=0, description="P3 must be accepted within this")
    ack_p4_seconds: int = Field(default=3600, gt=0, description="P4 must be accepted within this")
    checkin_after_minutes: int = Field(
        default=30, gt=0, description="On scene this long without an update: ask the team"
    )
    checkin_grace_minutes: int = Field(
        default=10, gt=0, description="No answer this long after asking: escalate"
    )
    keep_on_scene_at_handover: bool = Field(
        default=True, description="A team on scene at the end of its shift keeps the incident"
    )
    arrival_target_minutes: int = Field(
        default=45,
        gt=0,
        description="Accepted this long without arriving on scene: the console flags it",
    )
    remind_p1_seconds: int = Field(
        default=120, gt=0, description="A P1 with no team: the supervisors' chat hears again"
    )
    remind_p2_seconds: int = Field(
        default=300, gt=0, description="A P2 with no team: the supervisors' chat hears again"
    )
    remind_p3_seconds: int = Field(
        default=900, gt=0, description="A P3 with no team: the supervisors' chat hears again"
    )
    remind_p4_seconds: int = Field(
        default=3600, gt=0, description="A P4 with no team: the supervisors' chat hears again"
    )
    retry_missed_seconds: int = Field(
        default=60,
        ge=0,
        description="A team that let an incident time out may have it again this long after "
        "the last miss, and only when no other team on duty has room",
    )
    intake_url: str = Field(
        default=":8001",
        description="Intake as the console's browser reaches it, where a linked report is split "
        "off: a full URL, or ':<port>' on the console's own host",
    )
    shelter_url: str = Field(
        default=":8003",
        description="Shelter as the console's browser reaches it, where the figures page "
        "downloads a month's XLSX report: a full URL, or ':<port>' on the console's own host",
    )
    first_admin_file: Path | None = Field(
        default=None,
        description="On a fresh install (no account yet), dispatch makes an 'admin' account as "
        "it starts and writes its password to this file (mode 600); `trc up` sets it",
    )
    p1_borrow_busy_team: bool = Field(
        default=True,
        description="A P1 no team on duty has room for goes to the team busy with the least "
        "urgent incident (never one holding a P1), over its capacity",
    )
    roster_gap_warn_hours: float = Field(
        default=2.0,
        ge=0,
        description="A roster gap starting within this many hours is told to the supervisors' "
        "chat once, before it starts (0: only when it has begun)",
    )
    sweep_seconds: float = Field(
        default=0.05,
        ge=0.005,
        description="Shortest time between two looks of the deadline timer (which otherwise "
        "sleeps until the earliest deadline, check-in, reminder or shift change, and wakes on "
        "every commit that writes events): how late at most a deadline is handled when "
        "another just was; a burst of commits costs at most one look per this",
    )
    timer_cap_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Longest sleep of the deadline timer, whatever is due: how soon a deadline "
        "set by another dispatch process (and not rung across to this one) is seen",
    )

    def rules(self) -> DispatchRules:
        return DispatchRules(
            deadlines=Deadlines(
                ack={
                    "P1": timedelta(seconds=self.ack_p1_seconds),
                    "P2": timedelta(seconds=self.ack_p2_seconds),
                    "P3": timedelta(seconds=self.ack_p3_seconds),
                    "P4": timedelta(seconds=self.ack_p4_seconds),
                },
                checkin_after=timedelta(minutes=self.checkin_after_minutes),
                checkin_grace=timedelta(minutes=self.checkin_grace_minutes),
                remind={
                    "P1": timedelta(seconds=self.remind_p1_seconds),
                    "P2": timedelta(seconds=self.remind_p2_seconds),
                    "P3": timedelta(seconds=self.remind_p3_seconds),
                    "P4": timedelta(seconds=self.remind_p4_seconds),
                },
                retry_missed=timedelta(seconds=self.retry_missed_seconds),
            ),
            keep_on_scene_at_handover=self.keep_on_scene_at_handover,
            p1_borrows_busy_team=self.p1_borrow_busy_team,
            gap_warning=timedelta(hours=self.roster_gap_warn_hours),
        )

// SPDX-License-Identifier: GPL-2.0-only
#include "core/hygiene.h"

_Static_assert(HYG_CHECKS <= FRAME_HYGIENE, "every check fits a frame");

static const struct hyg_info infos[HYG_CHECKS] = {
	[HYG_ISOLCPUS] = { "isolcpus", "isolated CPUs",
		"Isolated cores are kept out of load balancing and unbound kernel work, so a pinned "
		"latency-critical thread is not preempted by housekeeping.",
		"add isolcpus=<cores> to GRUB_CMDLINE_LINUX in /etc/default/grub, update-grub, reboot" },
	[HYG_NOHZ_FULL] = { "nohz_full", "tickless isolated CPUs",
		"nohz_full stops the scheduler tick on a core that runs one task: no timer interrupt "
		"every 1-4 ms cutting into it.",
		"add nohz_full=<isolated cores> to the kernel command line, reboot" },
	[HYG_RCU_NOCBS] = { "rcu_nocbs", "RCU callbacks off isolated CPUs",
		"RCU callbacks run in softirq on the core that queued them unless offloaded; "
		"a burst of frees after munmap runs them on the latency core.",
		"add rcu_nocbs=<isolated cores> to the kernel command line (nohz_full implies it)" },
	[HYG_THP_ENABLED] = { "thp_enabled", "transparent huge pages",
		"With THP always, khugepaged collapses and the kernel splits huge pages behind the "
		"application; each collapse or split unmaps pages and shoots down TLBs on every core "
		"running the process.",
		"echo madvise > /sys/kernel/mm/transparent_hugepage/enabled "
		"(or transparent_hugepage=never on the command line)" },
	[HYG_THP_DEFRAG] = { "thp_defrag", "THP defragmentation",
		"defrag=always makes a faulting thread compact memory synchronously: stalls of "
		"milliseconds and page migrations that shoot down TLBs.",
		"echo defer+madvise > /sys/kernel/mm/transparent_hugepage/defrag" },
	[HYG_NUMA_BALANCING] = { "numa_balancing", "automatic NUMA balancing",
		"NUMA balancing unmaps pages on a timer to take hinting faults, then migrates them: "
		"every scan and migration is a TLB shootdown.",
		"echo 0 > /proc/sys/kernel/numa_balancing (numa_balancing=disable on the command line)" },
	[HYG_DEMOTION] = { "memory_tiering", "memory tiering and demotion",
		"Tiering demotes cold pages to slower memory (CXL, PMEM) and promotes hot ones back; "
		"each move unmaps the page and shoots down TLBs on the cores using it.",
		"echo false > /sys/kernel/mm/numa/demotion_enabled; echo 0 > /proc/sys/kernel/numa_balancing" },
	[HYG_IRQBALANCE] = { "irqbalance", "irqbalance daemon",
		"irqbalance moves device interrupts by load every 10 s, onto isolated cores too, "
		"and again after every restart.",
		"systemctl disable --now irqbalance, or IRQBALANCE_BANNED_CPULIST=<isolated> in "
		"/etc/default/irqbalance" },
	[HYG_IRQ_AFFINITY] = { "irq_affinity", "IRQs on isolated CPUs",
		"A device interrupt allowed on an isolated core preempts the thread pinned there.",
		"echo <housekeeping cores> > /proc/irq/<N>/smp_affinity_list for each IRQ listed" },
	[HYG_CLOCKSOURCE] = { "clocksource", "clock source",
		"hpet and acpi_pm cannot be read from user space: every clock_gettime becomes a "
		"system call of a microsecond or more, and latency timestamps get coarse.",
		"echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource "
		"(tsc=reliable clocksource=tsc on the command line)" },
	[HYG_GOVERNOR] = { "cpufreq_governor", "CPU frequency governor",
		"Other governors clock an idle core down; the first microseconds after a burst then "
		"run slow, and each frequency change stalls the core.",
		"cpupower frequency-set -g performance" },
	[HYG_IOMMU] = { "iommu_mode", "IOMMU mode",
		"In strict mode every DMA unmap waits for an IOTLB invalidation: a driver that maps "
		"and unmaps per packet makes IOTLB flush storms.",
		"iommu.strict=0 (lazy, batched flushes) or iommu=pt (passthrough) on the kernel command line" },
	[HYG_SWAP] = { "swap", "swap",
		"Swapping out unmaps pages of running processes (TLB shootdowns), and the next touch "
		"of a swapped page is a major fault.",
		"swapoff -a and remove the swap lines from /etc/fstab" },
	[HYG_NIC_NUMA] = { "nic_numa", "NIC NUMA locality",
		"A NIC's interrupts handled on another node than the NIC's pull every packet across "
		"the interconnect (about 80 ns a cache line).",
		"echo <CPUs of the NIC's node> > /proc/irq/<N>/smp_affinity_list for the NIC's IRQs" },
};

const struct hyg_info *hyg_info(int check)
{
	static const struct hyg_info unknown = { "unknown", "unknown check", "", "" };

	return check >= 0 && check < HYG_CHECKS ? &infos[check] : &unknown;
}

const char *hyg_state_name(int state)
{
	static const char *const names[] = { "unset", "ok", "finding", "n/a" };

	return state >= 0 && state <= HYG_NA ? names[state] : "?";
}

uint32_t hyg_findings(const struct frame_hygiene *h)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < h->n && i < FRAME_HYGIENE; i++)
		n += h->item[i].state == HYG_FINDING;
	return n;
}

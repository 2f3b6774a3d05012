// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: debugfs, /sys/kernel/debug/hidma_chan/<device>/
 *
 *   state     software state, ring indices and occupancy, list lengths,
 *             and the channel registers
 *   counters  event counters (struct hidma_chan_stats)
 *
 * Read only: the driver has no test knobs of its own (faults are
 * injected by the model, outside the guest).
 */
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/pm_runtime.h>
#include <linux/seq_file.h>

#include "hidma_chan.h"

static const char * const hidma_state_names[] = {
	[HIDMA_CHAN_OFF] = "off",
	[HIDMA_CHAN_RUNNING] = "running",
	[HIDMA_CHAN_RESETTING] = "resetting",
	[HIDMA_CHAN_DEAD] = "dead",
	[HIDMA_CHAN_ASLEEP] = "asleep",
};

static struct dentry *hidma_chan_debugfs_root;

static u32 hidma_list_len(struct list_head *head)
{
	struct list_head *pos;
	u32 n = 0;

	list_for_each(pos, head)
		n++;
	return n;
}

struct hidma_snapshot {
	enum hidma_chan_state state;
	bool paused, hold, gone;
	u32 tre_tail, ev_head, nactive;
	u32 nfree, nsubmitted, nissued, ncompleted, nwait_ack, naborted;
	dma_cookie_t cookie, completed_cookie;
};

static void hidma_show_regs(struct seq_file *s, struct hidma_chan *chan)
{
	static const struct {
		const char *name;
		bool ev;
		u32 off;
	} regs[] = {
		{ "trca.ctrlsts", false, HIDMA_CH_CTRLSTS },
		{ "trca.ring_low", false, HIDMA_CH_RING_LOW },
		{ "trca.ring_high", false, HIDMA_CH_RING_HIGH },
		{ "trca.ring_len", false, HIDMA_CH_RING_LEN },
		{ "trca.doorbell", false, HIDMA_CH_DOORBELL },
		{ "evca.ctrlsts", true, HIDMA_CH_CTRLSTS },
		{ "evca.intctrl", true, HIDMA_EVCA_INTCTRL },
		{ "evca.ring_low", true, HIDMA_CH_RING_LOW },
		{ "evca.ring_high", true, HIDMA_CH_RING_HIGH },
		{ "evca.ring_len", true, HIDMA_CH_RING_LEN },
		{ "evca.write_ptr", true, HIDMA_EVCA_WRITE_PTR },
		{ "evca.doorbell", true, HIDMA_CH_DOORBELL },
		{ "evca.irq_stat", true, HIDMA_EVCA_IRQ_STAT },
		{ "evca.irq_en", true, HIDMA_EVCA_IRQ_EN },
		{ "evca.msi_addr_lo", true, HIDMA_EVCA_MSI_ADDR_LO },
		{ "evca.msi_addr_hi", true, HIDMA_EVCA_MSI_ADDR_HI },
		{ "evca.msi_data", true, HIDMA_EVCA_MSI_DATA },
	};
	unsigned int i;

	if (pm_runtime_resume_and_get(chan->dev)) {
		seq_puts(s, "registers: not powered\n");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(regs); i++)
		seq_printf(s, "%-17s %#010x\n", regs[i].name,
			   readl((regs[i].ev ? chan->evca : chan->trca) +
				 regs[i].off));
	pm_runtime_put_autosuspend(chan->dev);
}

static int hidma_state_show(struct seq_file *s, void *unused)
{
	struct hidma_chan *chan = s->private;
	struct hidma_snapshot snap;
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	snap.state = chan->state;
	snap.paused = chan->paused;
	snap.hold = chan->hold;
	snap.gone = chan->gone;
	snap.tre_tail = chan->tre_tail;
	snap.ev_head = chan->ev_head;
	snap.nactive = chan->nactive;
	snap.nfree = hidma_list_len(&chan->free);
	snap.nsubmitted = hidma_list_len(&chan->submitted);
	snap.nissued = hidma_list_len(&chan->issued);
	snap.ncompleted = hidma_list_len(&chan->completed);
	snap.nwait_ack = hidma_list_len(&chan->wait_ack);
	snap.naborted = hidma_list_len(&chan->aborted);
	snap.cookie = chan->dchan.cookie;
	snap.completed_cookie = chan->dchan.completed_cookie;
	spin_unlock_irqrestore(&chan->lock, flags);

	seq_printf(s, "revision         %s\n", chan->variant->rev);
	seq_printf(s, "chid             %u\n", chan->chid);
	seq_printf(s, "state            %s%s%s%s\n", hidma_state_names[snap.state],
		   snap.paused ? " paused" : "", snap.hold ? " hold" : "",
		   snap.gone ? " gone" : "");
	seq_printf(s, "interrupts       %s\n", chan->msi ? "msi" : "wired");
	seq_printf(s, "ring_slots       %u\n", chan->nslots);
	seq_printf(s, "descriptors      %u\n", chan->ndesc);
	seq_printf(s, "tre_tail         %u\n", snap.tre_tail);
	seq_printf(s, "ev_head          %u\n", snap.ev_head);
	seq_printf(s, "in_flight        %u\n", snap.nactive);
	seq_printf(s, "free             %u\n", snap.nfree);
	seq_printf(s, "submitted        %u\n", snap.nsubmitted);
	seq_printf(s, "issued           %u\n", snap.nissued);
	seq_printf(s, "completed        %u\n", snap.ncompleted);
	seq_printf(s, "wait_ack         %u\n", snap.nwait_ack);
	seq_printf(s, "aborted          %u\n", snap.naborted);
	seq_printf(s, "last_cookie      %d\n", snap.cookie);
	seq_printf(s, "completed_cookie %d\n", snap.completed_cookie);
	hidma_show_regs(s, chan);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hidma_state);

static int hidma_counters_show(struct seq_file *s, void *unused)
{
	struct hidma_chan *chan = s->private;
	struct hidma_chan_stats st;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&chan->lock, flags);
	st = chan->stats;
	spin_unlock_irqrestore(&chan->lock, flags);

	seq_printf(s, "submitted      %llu\n", st.submitted);
	seq_printf(s, "pushed         %llu\n", st.pushed);
	seq_printf(s, "tre_doorbells  %llu\n", st.tre_doorbells);
	seq_printf(s, "completed      %llu\n", st.completed);
	seq_printf(s, "failed         %llu\n", st.failed);
	seq_printf(s, "aborted        %llu\n", st.aborted);
	seq_printf(s, "retried        %llu\n", st.retried);
	seq_printf(s, "held           %llu\n", st.held);
	seq_printf(s, "tried_again    %llu\n", st.tried_again);
	seq_printf(s, "reaps          %llu\n", st.reaps);
	seq_printf(s, "events         %llu\n", st.events);
	seq_printf(s, "ev_doorbells   %llu\n", st.ev_doorbells);
	seq_printf(s, "polled_reaps   %llu\n", st.polled_reaps);
	seq_printf(s, "budget_exhausted %llu\n", st.budget_exhausted);
	seq_printf(s, "irqs           %llu\n", st.irqs);
	seq_printf(s, "spurious_irqs  %llu\n", st.spurious_irqs);
	seq_printf(s, "resets         %llu\n", st.resets);
	seq_printf(s, "sleeps         %llu\n", st.sleeps);
	seq_printf(s, "prep_full      %llu\n", st.prep_full);
	for (i = 0; i < HIDMA_IRQ_NR_CAUSES; i++)
		if (BIT(i) & HIDMA_IRQ_ERRORS)
			seq_printf(s, "cause%-2u        %llu\n", i, st.causes[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hidma_counters);

void hidma_debugfs_init(void)
{
	hidma_chan_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void hidma_debugfs_exit(void)
{
	debugfs_remove(hidma_chan_debugfs_root);
}

void hidma_debugfs_add(struct hidma_chan *chan)
{
	chan->debugfs = debugfs_create_dir(dev_name(chan->dev),
					   hidma_chan_debugfs_root);
	debugfs_create_file("state", 0444, chan->debugfs, chan,
			    &hidma_state_fops);
	debugfs_create_file("counters", 0444, chan->debugfs, chan,
			    &hidma_counters_fops);
}

void hidma_debugfs_remove(struct hidma_chan *chan)
{
	debugfs_remove(chan->debugfs);
	chan->debugfs = NULL;
}

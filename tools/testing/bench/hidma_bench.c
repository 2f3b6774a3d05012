// SPDX-License-Identifier: GPL-2.0-only
/*
 * hidma_bench: the benchmark's in-guest dmaengine client. It keeps a set of
 * memcpy channels busy with a fixed number of transfers in flight for a
 * given time and reports what they moved; it also times the CPU's memcpy of
 * the same sizes, so that both are measured in the same boot. Written
 * against the dmaengine client API only.
 *
 * /sys/kernel/debug/hidma_bench/
 *   channels  write dmaengine channel names ("dma0chan0 dma1chan0"): each
 *             is requested and gets two coherent buffers of HB_BUF_SIZE;
 *             an empty line releases them all; read: the channels held
 *   size      bytes per transfer, 1 .. HB_BUF_SIZE
 *   depth     transfers in flight per channel, 1 .. HB_MAX_DEPTH
 *   batch     transfers per group, 1 .. HB_MAX_BATCH: a group is prepared,
 *             submitted and issued (one issue_pending) together, and only
 *             its last transfer asks for an interrupt (DMA_PREP_INTERRUPT)
 *             and has a callback, which submits the next group
 *   ms        run length: no transfer is submitted after it (0: until
 *             "stop"); the transfers in flight then complete
 *   ctl       "start" a DMA run, "wait" for its end (ms > 0), "stop" it
 *             now and wait, or "cpu": time memcpy() for ms (synchronous)
 *   result    the last run: totals, then one "chan" line per channel
 *
 * Transfers walk their buffers in steps of size bytes (wrapping before the
 * end), so that small copies do not hit the same cache lines over and over.
 * Every run fills the sources with a new byte value and checks afterwards
 * that every destination byte written holds it ("verified").
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define HB_BUF_SIZE		SZ_4M
#define HB_MAX_CHANS		32
#define HB_MAX_DEPTH		1024
#define HB_MAX_BATCH		64
#define HB_DRAIN_TIMEOUT	(60 * HZ)
#define HB_RESULT_SIZE		4096
#define HB_NAME_LEN		32

struct hb_stream;

/* A group in flight: its callback completes n transfers. */
struct hb_group {
	struct hb_stream *s;
	unsigned int n;
};

/* One channel, its buffers, and its part of the current run. */
struct hb_stream {
	char name[HB_NAME_LEN];
	struct dma_chan *chan;
	struct device *dev;
	void *src, *dst;
	dma_addr_t src_dma, dst_dma;
	struct work_struct retry;
	/* protects everything below */
	spinlock_t lock;
	struct hb_group groups[HB_MAX_DEPTH];
	unsigned int next_group;
	unsigned int inflight;
	unsigned int owed;
	bool retrying;
	bool finished;
	size_t next_off;
	u64 transfers;
	u64 errors;
	u64 prep_failures;
	ktime_t last;
};

/* Serialises the debugfs operations. */
static DEFINE_MUTEX(hb_lock);
static struct hb_stream *hb_streams[HB_MAX_CHANS];
static unsigned int hb_nstreams;
static u32 hb_size = SZ_4K;
static u32 hb_depth = 32;
static u32 hb_batch = 1;
static u32 hb_ms = 1000;
static bool hb_running;
static bool hb_stop;
static ktime_t hb_t0, hb_deadline;
static atomic_t hb_active;
static DECLARE_WAIT_QUEUE_HEAD(hb_wq);
static u8 hb_pattern;
static void *hb_cpu_src, *hb_cpu_dst;
static char hb_result[HB_RESULT_SIZE];
static size_t hb_result_len;
static struct dentry *hb_dir;

static __printf(1, 2) void hb_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hb_result_len += vscnprintf(hb_result + hb_result_len,
				    sizeof(hb_result) - hb_result_len, fmt, ap);
	va_end(ap);
}

/* Past the run's end: no new transfer. Read in callbacks, without hb_lock. */
static bool hb_stopping(void)
{
	if (READ_ONCE(hb_stop))
		return true;
	return hb_ms && ktime_after(ktime_get(), hb_deadline);
}

/* Prepare the next transfer of @s: the next @hb_size bytes of the buffers. */
static struct dma_async_tx_descriptor *hb_prep(struct hb_stream *s,
					       unsigned long flags)
{
	struct dma_async_tx_descriptor *tx;
	size_t off = s->next_off;

	tx = dmaengine_prep_dma_memcpy(s->chan, s->dst_dma + off,
				       s->src_dma + off, hb_size, flags);
	if (tx) {
		s->next_off += hb_size;
		if (s->next_off + hb_size > HB_BUF_SIZE)
			s->next_off = 0;
	}
	return tx;
}

static void hb_group_done(void *param, const struct dmaengine_result *res);
static void hb_finished(void);

/*
 * Prepare and submit a group of at most @n transfers; only the last one
 * interrupts and calls back. The interrupting one is prepared first, so
 * that when the pool runs dry half way, what was prepared still forms a
 * complete, shorter group. Returns the number submitted (0: none could be
 * prepared). Called with s->lock held.
 */
static unsigned int hb_submit_group(struct hb_stream *s, unsigned int n)
{
	struct dma_async_tx_descriptor *tx[HB_MAX_BATCH], *last;
	struct hb_group *g;
	unsigned int k, i;

	last = hb_prep(s, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!last)
		return 0;
	for (k = 0; k + 1 < n; k++) {
		tx[k] = hb_prep(s, DMA_CTRL_ACK);
		if (!tx[k]) {
			s->prep_failures++;
			break;
		}
	}
	g = &s->groups[s->next_group];
	s->next_group = (s->next_group + 1) % HB_MAX_DEPTH;
	g->s = s;
	g->n = k + 1;
	last->callback_result = hb_group_done;
	last->callback_param = g;
	for (i = 0; i < k; i++)
		if (dma_submit_error(dmaengine_submit(tx[i])))
			s->errors++;
	if (dma_submit_error(dmaengine_submit(last)))
		s->errors++;
	return k + 1;
}

/*
 * Submit what @s owes, a group at a time. Returns false if nothing could be
 * prepared (the pool is empty). Called with s->lock held.
 */
static bool hb_refill(struct hb_stream *s)
{
	unsigned int k;

	if (hb_stopping())
		s->owed = 0;
	while (s->owed) {
		k = hb_submit_group(s, min(s->owed, hb_batch));
		if (!k) {
			s->prep_failures++;
			return false;
		}
		s->owed -= k;
		s->inflight++;
		dma_async_issue_pending(s->chan);
	}
	return true;
}

/* Whether @s just finished its part of the run. Called with s->lock held. */
static bool hb_stream_done(struct hb_stream *s)
{
	if (s->finished || s->inflight || s->owed || s->retrying)
		return false;
	s->finished = true;
	return true;
}

static void hb_finished(void)
{
	if (atomic_dec_and_test(&hb_active))
		wake_up(&hb_wq);
}

/* Refill, or hand the refill to the retry work if the pool is empty. */
static bool hb_refill_or_retry(struct hb_stream *s)
{
	if (!s->retrying && !hb_refill(s)) {
		s->retrying = true;
		queue_work(system_unbound_wq, &s->retry);
	}
	return hb_stream_done(s);
}

static void hb_group_done(void *param, const struct dmaengine_result *res)
{
	struct hb_group *g = param;
	struct hb_stream *s = g->s;
	ktime_t now = ktime_get();
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&s->lock, flags);
	s->transfers += g->n;
	if (res && res->result != DMA_TRANS_NOERROR)
		s->errors++;
	s->last = now;
	s->inflight--;
	if (!hb_stopping())
		s->owed += g->n;
	done = hb_refill_or_retry(s);
	spin_unlock_irqrestore(&s->lock, flags);
	if (done)
		hb_finished();
}

/* The pool was empty: keep trying from process context. */
static void hb_retry_work(struct work_struct *work)
{
	struct hb_stream *s = container_of(work, struct hb_stream, retry);
	unsigned long flags;
	bool ok, done = false;

	for (;;) {
		spin_lock_irqsave(&s->lock, flags);
		ok = hb_refill(s);
		if (ok) {
			s->retrying = false;
			done = hb_stream_done(s);
		}
		spin_unlock_irqrestore(&s->lock, flags);
		if (ok)
			break;
		usleep_range(50, 100);
	}
	if (done)
		hb_finished();
}

static void hb_release_stream(struct hb_stream *s)
{
	cancel_work_sync(&s->retry);
	if (s->chan) {
		dmaengine_terminate_sync(s->chan);
		if (s->src)
			dma_free_coherent(s->dev, HB_BUF_SIZE, s->src, s->src_dma);
		if (s->dst)
			dma_free_coherent(s->dev, HB_BUF_SIZE, s->dst, s->dst_dma);
		dma_release_channel(s->chan);
	}
	kfree(s);
}

static void hb_release_all(void)
{
	while (hb_nstreams)
		hb_release_stream(hb_streams[--hb_nstreams]);
}

static bool hb_filter(struct dma_chan *chan, void *param)
{
	return !strcmp(dma_chan_name(chan), param);
}

static int hb_add_stream(const char *name)
{
	struct hb_stream *s;
	dma_cap_mask_t mask;

	if (hb_nstreams == HB_MAX_CHANS || strlen(name) >= HB_NAME_LEN)
		return -EINVAL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	strscpy(s->name, name, sizeof(s->name));
	spin_lock_init(&s->lock);
	INIT_WORK(&s->retry, hb_retry_work);
	hb_streams[hb_nstreams++] = s;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	s->chan = dma_request_channel(mask, hb_filter, s->name);
	if (!s->chan) {
		pr_err("hidma_bench: cannot get channel %s\n", name);
		return -ENODEV;
	}
	s->dev = dmaengine_get_dma_device(s->chan);
	s->src = dma_alloc_coherent(s->dev, HB_BUF_SIZE, &s->src_dma, GFP_KERNEL);
	s->dst = dma_alloc_coherent(s->dev, HB_BUF_SIZE, &s->dst_dma, GFP_KERNEL);
	if (!s->src || !s->dst)
		return -ENOMEM;
	return 0;
}

/* Reset the per-run state of @s and fill its buffers for a new run. */
static void hb_prepare_stream(struct hb_stream *s)
{
	memset(s->src, hb_pattern, HB_BUF_SIZE);
	memset(s->dst, (u8)~hb_pattern, HB_BUF_SIZE);
	s->next_group = 0;
	s->inflight = 0;
	s->owed = hb_depth;
	s->retrying = false;
	s->finished = false;
	s->next_off = 0;
	s->transfers = 0;
	s->errors = 0;
	s->prep_failures = 0;
	s->last = hb_t0;
}

static int hb_start(void)
{
	unsigned long flags;
	unsigned int i;
	bool done;

	if (hb_running || !hb_nstreams)
		return -EINVAL;
	if (!hb_size || hb_size > HB_BUF_SIZE || !hb_batch ||
	    hb_batch > HB_MAX_BATCH || !hb_depth || hb_depth > HB_MAX_DEPTH)
		return -EINVAL;
	hb_pattern = hb_pattern * 7 + 0x3b;
	hb_result_len = 0;
	for (i = 0; i < hb_nstreams; i++)
		hb_prepare_stream(hb_streams[i]);
	atomic_set(&hb_active, hb_nstreams);
	WRITE_ONCE(hb_stop, false);
	hb_t0 = ktime_get();
	hb_deadline = ktime_add_ms(hb_t0, hb_ms);
	hb_running = true;
	for (i = 0; i < hb_nstreams; i++) {
		struct hb_stream *s = hb_streams[i];

		s->last = hb_t0;
		spin_lock_irqsave(&s->lock, flags);
		done = hb_refill_or_retry(s);
		spin_unlock_irqrestore(&s->lock, flags);
		if (done)
			hb_finished();
	}
	return 0;
}

/* Every transfer of @s wrote the run's byte value. */
static bool hb_verified(struct hb_stream *s)
{
	u64 slots = HB_BUF_SIZE / hb_size;
	size_t covered = min_t(u64, s->transfers, slots) * hb_size;

	return !memchr_inv(s->dst, hb_pattern, covered);
}

static void hb_report(int err)
{
	u64 transfers = 0, errors = 0, prepf = 0;
	ktime_t end = hb_t0;
	bool verified = true;
	unsigned int i;

	for (i = 0; i < hb_nstreams; i++) {
		struct hb_stream *s = hb_streams[i];

		transfers += s->transfers;
		errors += s->errors;
		prepf += s->prep_failures;
		if (ktime_after(s->last, end))
			end = s->last;
		if (!err && !hb_verified(s))
			verified = false;
	}
	hb_out("mode dma\nsize %u\ndepth %u\nbatch %u\nchannels %u\n",
	       hb_size, hb_depth, hb_batch, hb_nstreams);
	hb_out("elapsed_ns %lld\ntransfers %llu\nbytes %llu\n",
	       ktime_to_ns(ktime_sub(end, hb_t0)), transfers,
	       transfers * hb_size);
	hb_out("errors %llu\nprep_failures %llu\nverified %s\nstatus %d\n",
	       errors, prepf, !err && verified ? "yes" : "no", err);
	for (i = 0; i < hb_nstreams; i++) {
		struct hb_stream *s = hb_streams[i];

		hb_out("chan %s transfers %llu bytes %llu errors %llu elapsed_ns %lld\n",
		       s->name, s->transfers, s->transfers * hb_size, s->errors,
		       ktime_to_ns(ktime_sub(s->last, hb_t0)));
	}
}

/* Wait for the run to drain; on a timeout, abort it. */
static int hb_wait(void)
{
	long left;
	unsigned int i;
	int err = 0;

	if (!hb_running)
		return -EINVAL;
	left = wait_event_interruptible_timeout(hb_wq, !atomic_read(&hb_active),
						msecs_to_jiffies(hb_ms) +
						HB_DRAIN_TIMEOUT);
	if (left <= 0) {
		WRITE_ONCE(hb_stop, true);
		left = wait_event_timeout(hb_wq, !atomic_read(&hb_active),
					  HB_DRAIN_TIMEOUT);
	}
	if (!left) {
		err = -ETIMEDOUT;
		pr_err("hidma_bench: the run did not drain, aborting it\n");
		for (i = 0; i < hb_nstreams; i++) {
			dmaengine_terminate_sync(hb_streams[i]->chan);
			cancel_work_sync(&hb_streams[i]->retry);
		}
	}
	hb_running = false;
	hb_report(err);
	return err;
}

static int hb_cpu(void)
{
	unsigned int inner = clamp_t(u32, SZ_64K / max(hb_size, 1U), 1, 256);
	ktime_t t0, now, end;
	size_t off = 0;
	u64 n = 0;
	unsigned int i;

	if (hb_running || !hb_size || hb_size > HB_BUF_SIZE || !hb_ms)
		return -EINVAL;
	if (!hb_cpu_src) {
		hb_cpu_src = vmalloc(HB_BUF_SIZE);
		hb_cpu_dst = vmalloc(HB_BUF_SIZE);
		if (!hb_cpu_src || !hb_cpu_dst) {
			vfree(hb_cpu_src);
			vfree(hb_cpu_dst);
			hb_cpu_src = NULL;
			hb_cpu_dst = NULL;
			return -ENOMEM;
		}
		memset(hb_cpu_src, 0x5a, HB_BUF_SIZE);
		memset(hb_cpu_dst, 0, HB_BUF_SIZE);
	}
	t0 = ktime_get();
	end = ktime_add_ms(t0, hb_ms);
	do {
		for (i = 0; i < inner; i++) {
			memcpy(hb_cpu_dst + off, hb_cpu_src + off, hb_size);
			off += hb_size;
			if (off + hb_size > HB_BUF_SIZE)
				off = 0;
		}
		n += inner;
		cond_resched();
		now = ktime_get();
	} while (ktime_before(now, end));
	hb_result_len = 0;
	hb_out("mode cpu\nsize %u\nelapsed_ns %lld\ntransfers %llu\nbytes %llu\n",
	       hb_size, ktime_to_ns(ktime_sub(now, t0)), n, n * hb_size);
	return 0;
}

static ssize_t hb_ctl_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char cmd[16];
	int ret;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	strim(cmd);

	mutex_lock(&hb_lock);
	if (!strcmp(cmd, "start")) {
		ret = hb_start();
	} else if (!strcmp(cmd, "wait")) {
		ret = hb_ms ? hb_wait() : -EINVAL;
	} else if (!strcmp(cmd, "stop")) {
		WRITE_ONCE(hb_stop, true);
		ret = hb_wait();
	} else if (!strcmp(cmd, "cpu")) {
		ret = hb_cpu();
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&hb_lock);
	return ret ? ret : count;
}

static const struct file_operations hb_ctl_fops = {
	.owner = THIS_MODULE,
	.write = hb_ctl_write,
};

static ssize_t hb_channels_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char *buf, *p, *name;
	int ret = 0;

	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&hb_lock);
	if (hb_running) {
		ret = -EBUSY;
		goto out;
	}
	hb_release_all();
	p = buf;
	while ((name = strsep(&p, " \t\n"))) {
		if (!*name)
			continue;
		ret = hb_add_stream(name);
		if (ret) {
			hb_release_all();
			break;
		}
	}
out:
	mutex_unlock(&hb_lock);
	kfree(buf);
	return ret ? ret : count;
}

static ssize_t hb_channels_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[HB_MAX_CHANS * (HB_NAME_LEN + 1) + 1];
	size_t len = 0;
	unsigned int i;

	mutex_lock(&hb_lock);
	for (i = 0; i < hb_nstreams; i++)
		len += scnprintf(buf + len, sizeof(buf) - len, "%s\n",
				 hb_streams[i]->name);
	mutex_unlock(&hb_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations hb_channels_fops = {
	.owner = THIS_MODULE,
	.write = hb_channels_write,
	.read = hb_channels_read,
};

static ssize_t hb_result_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&hb_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, hb_result,
				      hb_result_len);
	mutex_unlock(&hb_lock);
	return ret;
}

static const struct file_operations hb_result_fops = {
	.owner = THIS_MODULE,
	.read = hb_result_read,
};

static int __init hb_init(void)
{
	hb_dir = debugfs_create_dir("hidma_bench", NULL);
	debugfs_create_file("channels", 0644, hb_dir, NULL, &hb_channels_fops);
	debugfs_create_u32("size", 0644, hb_dir, &hb_size);
	debugfs_create_u32("depth", 0644, hb_dir, &hb_depth);
	debugfs_create_u32("batch", 0644, hb_dir, &hb_batch);
	debugfs_create_u32("ms", 0644, hb_dir, &hb_ms);
	debugfs_create_file("ctl", 0200, hb_dir, NULL, &hb_ctl_fops);
	debugfs_create_file("result", 0444, hb_dir, NULL, &hb_result_fops);
	return 0;
}
module_init(hb_init);

static void __exit hb_exit(void)
{
	debugfs_remove_recursive(hb_dir);
	mutex_lock(&hb_lock);
	if (hb_running) {
		WRITE_ONCE(hb_stop, true);
		hb_wait();
	}
	hb_release_all();
	mutex_unlock(&hb_lock);
	vfree(hb_cpu_src);
	vfree(hb_cpu_dst);
}
module_exit(hb_exit);

MODULE_DESCRIPTION("dmaengine memcpy benchmark client for the HIDMA virtual platform");
MODULE_LICENSE("GPL");

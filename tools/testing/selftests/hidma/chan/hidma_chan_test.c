// SPDX-License-Identifier: GPL-2.0-only
/*
 * hidma_chan_test: an in-kernel dmaengine client for the checks dmatest
 * cannot make: terminate while busy, pause/resume while busy,
 * synchronize, descriptor reuse after terminate, error results, polled
 * completion, DMA_INTERRUPT, residue, and a channel held across unbind.
 * It is written against the dmaengine client API only, so it tests the
 * contract, not the driver's internals.
 *
 * /sys/kernel/debug/hidma_chan_test/
 *   channel  the channel to use, e.g. "dma0chan0" (requested per test)
 *   count    transfers for "copy", "fill" and "polled" (default 1000)
 *   expect   result "fault" expects: none, read, write or abort
 *   bad_addr a bus address never mapped for the channel: the next "fault"
 *            reads from it (expect read) or writes to it (expect write)
 *            instead of a fault armed in the model (behind an IOMMU)
 *   run      write a test name to run it; the write fails with EIO if
 *            the test fails (ETIMEDOUT if it timed out)
 *   log      what the last test did and found
 *   overlay  write the path of a compiled overlay to apply it, "-" to
 *            remove it (one at a time)
 *   dt_result what the device tree client got: channel, device, result
 *   size     bytes per transfer of "backlog" (default 1 MiB)
 *   backlog  "submitted <n> ok <n> failed <n>" of the backlog's callbacks
 *
 * Tests: copy, fill, polled, interrupt, terminate_busy, pause_resume,
 * synchronize, reuse, fault, and for a held channel: hold, use_gone,
 * dead, release; any (a channel by capability alone); backlog and
 * backlog_release (a deep queue left in flight for the script to remove
 * the channel under, see hct_test_backlog()). The module also
 * drives a device tree client ("hidma-test,dma-client").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kernel_read_file.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#define HCT_BUF_SIZE	SZ_4M
#define HCT_MAX_XFERS	16
#define HCT_BIG		(HCT_BUF_SIZE / HCT_MAX_XFERS)
#define HCT_MAX_PREP	16384
#define HCT_TIMEOUT	(10 * HZ)
#define HCT_LOG_SIZE	4096

struct hct;

/* One transfer and what its callback saw. */
struct hct_xfer {
	struct hct *t;
	dma_cookie_t cookie;
	size_t src_off, dst_off, len;
	unsigned int round;
	atomic_t callbacks;
	enum dmaengine_tx_result result;
	u32 residue;
};

/* The test context: one channel, two coherent buffers. */
struct hct {
	struct dma_chan *chan;
	struct device *dev;
	void *src, *dst;
	dma_addr_t src_dma, dst_dma;
	struct hct_xfer xfers[HCT_MAX_XFERS];
	atomic_t ncallbacks;
	atomic_t late;
	atomic_t in_callback;
	unsigned int synced_round;
	unsigned int cb_delay_us;
	wait_queue_head_t wq;
};

static DEFINE_MUTEX(hct_lock);
static char hct_channel[32];
static u32 hct_count = 1000;
static char hct_expect[16] = "none";
/* "fault" with this set: transfer 0 uses it as its source (expect read) or
 * destination (expect write), a bus address never mapped for the channel.
 * One-shot: the test clears it.
 */
static u64 hct_bad_addr;
static char hct_log_buf[HCT_LOG_SIZE];
static size_t hct_log_len;
static struct dentry *hct_dir;
/* The channel kept by "hold" for "use_gone" and "release". */
static struct dma_chan *hct_held;

static __printf(1, 2) void hct_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hct_log_len += vscnprintf(hct_log_buf + hct_log_len,
				  sizeof(hct_log_buf) - hct_log_len, fmt, ap);
	va_end(ap);
}

#define hct_fail(fmt, ...)	({ hct_log("FAIL: " fmt "\n", ##__VA_ARGS__); -EIO; })

static bool hct_filter(struct dma_chan *chan, void *param)
{
	return !strcmp(dma_chan_name(chan), param);
}

static struct dma_chan *hct_request(void)
{
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	return dma_request_channel(mask, hct_filter, hct_channel);
}

/* Set up @t around @chan (NULL: request the channel named in "channel"). */
static int hct_setup(struct hct *t, struct dma_chan *chan)
{
	memset(t, 0, sizeof(*t));
	init_waitqueue_head(&t->wq);
	t->chan = chan ?: hct_request();
	if (!t->chan)
		return hct_fail("cannot get channel '%s'", hct_channel);
	/* The device the channel's DMA goes through, as any client asks. */
	t->dev = dmaengine_get_dma_device(t->chan);
	t->src = dma_alloc_coherent(t->dev, HCT_BUF_SIZE, &t->src_dma, GFP_KERNEL);
	t->dst = dma_alloc_coherent(t->dev, HCT_BUF_SIZE, &t->dst_dma, GFP_KERNEL);
	if (!t->src || !t->dst)
		return hct_fail("no coherent buffers");
	return 0;
}

static void hct_teardown(struct hct *t)
{
	if (!t->chan)
		return;
	dmaengine_terminate_sync(t->chan);
	if (t->src)
		dma_free_coherent(t->dev, HCT_BUF_SIZE, t->src, t->src_dma);
	if (t->dst)
		dma_free_coherent(t->dev, HCT_BUF_SIZE, t->dst, t->dst_dma);
	dma_release_channel(t->chan);
	t->chan = NULL;
}

static void hct_callback(void *param, const struct dmaengine_result *res)
{
	struct hct_xfer *x = param;
	struct hct *t = x->t;

	atomic_inc(&t->in_callback);
	if (x->round < READ_ONCE(t->synced_round))
		atomic_inc(&t->late);
	x->result = res->result;
	x->residue = res->residue;
	if (t->cb_delay_us)
		udelay(t->cb_delay_us);
	atomic_inc(&x->callbacks);
	atomic_dec(&t->in_callback);
	atomic_inc(&t->ncallbacks);
	wake_up(&t->wq);
}

static void hct_fill_random(void *p, size_t len)
{
	get_random_bytes(p, len);
}

#define HCT_POISON	0x5a

/*
 * A pattern of its own for every call, cheaper than random bytes over
 * megabytes: 32-bit words counting up from a random seed by an odd
 * random step, so two calls (almost) never write the same bytes. @p is
 * 32-bit aligned.
 */
static void hct_fill_pattern(void *p, size_t len)
{
	u32 seed = get_random_u32(), step = get_random_u32() | 1;
	u32 *w = p;
	size_t i;

	for (i = 0; i < len / 4; i++, seed += step)
		w[i] = seed;
	memcpy(p + (len & ~3UL), &seed, len & 3);
}

/* Prepare and submit one memcpy; the callback is set when @cb. */
/* Submit one memcpy of @len bytes from bus address @src to @dst. */
static int hct_submit_at(struct hct *t, struct hct_xfer *x, dma_addr_t dst,
			 dma_addr_t src, size_t len, unsigned long flags,
			 bool cb)
{
	struct dma_async_tx_descriptor *tx;

	x->t = t;
	x->len = len;
	x->result = -1;
	atomic_set(&x->callbacks, 0);
	tx = dmaengine_prep_dma_memcpy(t->chan, dst, src, len, flags);
	if (!tx)
		return hct_fail("prep of %zu bytes failed", len);
	if (cb) {
		tx->callback_result = hct_callback;
		tx->callback_param = x;
	}
	x->cookie = dmaengine_submit(tx);
	if (dma_submit_error(x->cookie))
		return hct_fail("submit failed: %d", x->cookie);
	return 0;
}

static int hct_submit_copy(struct hct *t, struct hct_xfer *x, size_t src_off,
			   size_t dst_off, size_t len, unsigned long flags,
			   bool cb)
{
	x->src_off = src_off;
	x->dst_off = dst_off;
	return hct_submit_at(t, x, t->dst_dma + dst_off, t->src_dma + src_off,
			     len, flags, cb);
}

static int hct_wait_callbacks(struct hct *t, int n)
{
	if (!wait_event_timeout(t->wq, atomic_read(&t->ncallbacks) >= n,
				HCT_TIMEOUT)) {
		hct_log("FAIL: %d of %d callbacks after %d s\n",
			atomic_read(&t->ncallbacks), n, HCT_TIMEOUT / HZ);
		return -ETIMEDOUT;
	}
	return 0;
}

static bool hct_copied(struct hct *t, struct hct_xfer *x)
{
	return !memcmp(t->dst + x->dst_off, t->src + x->src_off, x->len);
}

/*
 * copy: hct_count memcpys of random length and alignment, up to 16 in
 * flight, each with a callback; every byte checked, and the bytes on
 * either side of each destination untouched.
 */
static int hct_run_copy(struct hct *t, unsigned long flags)
{
	u32 done = 0, n, i;
	int ret;

	hct_fill_random(t->src, HCT_BUF_SIZE);
	while (done < hct_count) {
		n = min_t(u32, HCT_MAX_XFERS, hct_count - done);
		memset(t->dst, 0x5a, HCT_BUF_SIZE);
		atomic_set(&t->ncallbacks, 0);
		for (i = 0; i < n; i++) {
			/* slot i owns [i * HCT_BIG, (i + 1) * HCT_BIG) */
			size_t len = get_random_u32_inclusive(1, HCT_BIG / 2);
			size_t so = i * HCT_BIG + get_random_u32_below(HCT_BIG - len);
			size_t doff = i * HCT_BIG + 1 +
				      get_random_u32_below(HCT_BIG - len - 1);

			ret = hct_submit_copy(t, &t->xfers[i], so, doff, len,
					      flags, true);
			if (ret)
				return ret;
		}
		dma_async_issue_pending(t->chan);
		ret = hct_wait_callbacks(t, n);
		if (ret)
			return ret;
		for (i = 0; i < n; i++) {
			struct hct_xfer *x = &t->xfers[i];
			u8 *d = t->dst;

			if (x->result != DMA_TRANS_NOERROR)
				return hct_fail("transfer %u: result %d",
						done + i, x->result);
			if (x->residue)
				return hct_fail("transfer %u: residue %u",
						done + i, x->residue);
			if (!hct_copied(t, x))
				return hct_fail("transfer %u: data mismatch (%zu bytes)",
						done + i, x->len);
			if (d[x->dst_off - 1] != 0x5a ||
			    d[x->dst_off + x->len] != 0x5a)
				return hct_fail("transfer %u: wrote outside its range",
						done + i);
			if (atomic_read(&x->callbacks) != 1)
				return hct_fail("transfer %u: %d callbacks",
						done + i, atomic_read(&x->callbacks));
		}
		done += n;
	}
	hct_log("%u transfers ok\n", done);
	return 0;
}

static int hct_test_copy(struct hct *t)
{
	return hct_run_copy(t, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
}

/* fill: memsets of random length, value and alignment. */
static int hct_test_fill(struct hct *t)
{
	struct dma_async_tx_descriptor *tx;
	struct hct_xfer *x = &t->xfers[0];
	u32 i;
	int ret;

	for (i = 0; i < hct_count; i++) {
		size_t len = get_random_u32_inclusive(1, HCT_BIG);
		size_t off = 1 + get_random_u32_below(HCT_BUF_SIZE - len - 2);
		u8 value = get_random_u32();
		u8 *d = t->dst;

		memset(d + off - 1, ~value, len + 2);
		atomic_set(&t->ncallbacks, 0);
		x->t = t;
		tx = dmaengine_prep_dma_memset(t->chan, t->dst_dma + off, value,
					       len, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (!tx)
			return hct_fail("memset prep failed");
		tx->callback_result = hct_callback;
		tx->callback_param = x;
		if (dma_submit_error(dmaengine_submit(tx)))
			return hct_fail("memset submit failed");
		dma_async_issue_pending(t->chan);
		ret = hct_wait_callbacks(t, 1);
		if (ret)
			return ret;
		if (x->result != DMA_TRANS_NOERROR)
			return hct_fail("memset %u: result %d", i, x->result);
		if (memchr_inv(d + off, value, len))
			return hct_fail("memset %u: %zu bytes at %zu not all %#x",
					i, len, off, value);
		if (d[off - 1] != (u8)~value || d[off + len] != (u8)~value)
			return hct_fail("memset %u: wrote outside its range", i);
	}
	hct_log("%u memsets ok\n", i);
	return 0;
}

/*
 * polled: no DMA_PREP_INTERRUPT, no callback; completion is seen only
 * through dma_sync_wait(), i.e. device_tx_status(). The script checks
 * that the channel raised no interrupt meanwhile.
 */
static int hct_test_polled(struct hct *t)
{
	u32 i, k;
	int ret;

	for (i = 0; i < hct_count; i += HCT_MAX_XFERS) {
		u32 n = min_t(u32, HCT_MAX_XFERS, hct_count - i);
		enum dma_status st;

		for (k = 0; k < n; k++) {
			size_t len = get_random_u32_inclusive(1, HCT_BIG - 1);
			size_t off = k * HCT_BIG;

			/*
			 * Every batch gets a source of its own and a poisoned
			 * destination (one byte past the end too): a
			 * transfer that did nothing, or an earlier batch's
			 * data, cannot pass for this one.
			 */
			hct_fill_pattern(t->src + off, len);
			memset(t->dst + off, HCT_POISON, len + 1);
			ret = hct_submit_copy(t, &t->xfers[k], off, off, len,
					      DMA_CTRL_ACK, false);
			if (ret)
				return ret;
		}
		st = dma_sync_wait(t->chan, t->xfers[n - 1].cookie);
		if (st != DMA_COMPLETE)
			return hct_fail("batch at %u: status %d", i, st);
		for (k = 0; k < n; k++) {
			struct hct_xfer *x = &t->xfers[k];
			u8 *d = t->dst;

			st = dmaengine_tx_status(t->chan, x->cookie, NULL);
			if (st != DMA_COMPLETE)
				return hct_fail("transfer %u: status %d", i + k, st);
			if (!hct_copied(t, x))
				return hct_fail("transfer %u: data mismatch", i + k);
			if (d[x->dst_off + x->len] != HCT_POISON)
				return hct_fail("transfer %u: wrote past its end",
						i + k);
		}
	}
	hct_log("%u polled transfers ok\n", hct_count);
	return 0;
}

/*
 * interrupt: a memcpy without interrupt, then DMA_INTERRUPT with a
 * callback: when it runs the memcpy is complete and its data there.
 */
static int hct_test_interrupt(struct hct *t)
{
	struct dma_async_tx_descriptor *tx;
	struct hct_xfer *x = &t->xfers[0], *irq = &t->xfers[1];
	int ret, i;

	if (!dma_has_cap(DMA_INTERRUPT, t->chan->device->cap_mask))
		return hct_fail("DMA_INTERRUPT not advertised");
	hct_fill_random(t->src, HCT_BUF_SIZE);
	for (i = 0; i < 100; i++) {
		atomic_set(&t->ncallbacks, 0);
		ret = hct_submit_copy(t, x, 0, 0, HCT_BIG, DMA_CTRL_ACK, false);
		if (ret)
			return ret;
		tx = t->chan->device->device_prep_dma_interrupt(t->chan,
				DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (!tx)
			return hct_fail("interrupt prep failed");
		irq->t = t;
		atomic_set(&irq->callbacks, 0);
		tx->callback_result = hct_callback;
		tx->callback_param = irq;
		irq->cookie = dmaengine_submit(tx);
		dma_async_issue_pending(t->chan);
		ret = hct_wait_callbacks(t, 1);
		if (ret)
			return ret;
		if (irq->result != DMA_TRANS_NOERROR)
			return hct_fail("interrupt result %d", irq->result);
		if (dmaengine_tx_status(t->chan, x->cookie, NULL) != DMA_COMPLETE)
			return hct_fail("memcpy before the interrupt not complete");
		if (!hct_copied(t, x))
			return hct_fail("memcpy before the interrupt: bad data");
		memset(t->dst, 0, HCT_BIG);
	}
	hct_log("100 interrupt descriptors ok\n");
	return 0;
}

/*
 * Queue far more work than the engine finishes before the next line of
 * the test runs: HCT_BUSY copies of 256 KiB (64 MiB), copy k moving
 * source slot k % 16 to destination slot k % 16. Copies of one slot write
 * the same bytes, so a slot holds the source's bytes as soon as any of
 * its copies (or part of one) ran, and its canary otherwise.
 */
#define HCT_BUSY	256

static int hct_submit_busy(struct hct *t, struct hct_xfer *xs, unsigned int round)
{
	int i, ret;

	hct_fill_random(t->src, HCT_BUF_SIZE);
	memset(t->dst, 0x5a, HCT_BUF_SIZE);
	atomic_set(&t->ncallbacks, 0);
	for (i = 0; i < HCT_BUSY; i++) {
		size_t off = (i % HCT_MAX_XFERS) * HCT_BIG;

		xs[i].round = round;
		ret = hct_submit_copy(t, &xs[i], off, off, HCT_BIG,
				      DMA_PREP_INTERRUPT | DMA_CTRL_ACK, true);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * terminate_busy: 256 copies, terminate right after issue_pending, then
 * synchronize. Every copy either had exactly one callback, with success,
 * or none and tx_status DMA_ERROR; a slot with a successful copy holds
 * the right bytes; no callback and no write to any destination happens
 * after synchronize; the channel then works. Repeated until a terminate
 * caught work in flight.
 */
static int hct_test_terminate_busy(struct hct *t)
{
	u32 crc[HCT_MAX_XFERS];
	bool done[HCT_MAX_XFERS];
	struct hct_xfer *xs;
	int attempt, i, ret = 0, aborted = 0, completed;

	xs = kcalloc(HCT_BUSY, sizeof(*xs), GFP_KERNEL);
	if (!xs)
		return -ENOMEM;

	for (attempt = 0; attempt < 10 && !aborted; attempt++) {
		ret = hct_submit_busy(t, xs, attempt);
		if (ret)
			goto out;
		dma_async_issue_pending(t->chan);
		if (attempt)
			udelay(get_random_u32_below(100 * attempt));
		ret = dmaengine_terminate_async(t->chan);
		if (ret) {
			ret = hct_fail("terminate_async: %d", ret);
			goto out;
		}
		dmaengine_synchronize(t->chan);
		WRITE_ONCE(t->synced_round, attempt + 1);
		if (atomic_read(&t->in_callback)) {
			ret = hct_fail("a callback still runs after synchronize");
			goto out;
		}

		memset(done, 0, sizeof(done));
		completed = 0;
		for (i = 0; i < HCT_BUSY; i++) {
			struct hct_xfer *x = &xs[i];
			enum dma_status st;
			int ncb;

			st = dmaengine_tx_status(t->chan, x->cookie, NULL);
			ncb = atomic_read(&x->callbacks);
			if (ncb) {
				if (ncb != 1 || x->result != DMA_TRANS_NOERROR ||
				    st != DMA_COMPLETE) {
					ret = hct_fail("copy %d: %d calls, result %d, status %d",
						       i, ncb, x->result, st);
					goto out;
				}
				done[i % HCT_MAX_XFERS] = true;
				completed++;
			} else {
				aborted++;
				if (st != DMA_ERROR) {
					ret = hct_fail("aborted copy %d: status %d", i, st);
					goto out;
				}
			}
		}
		for (i = 0; i < HCT_MAX_XFERS; i++) {
			crc[i] = crc32(0, t->dst + i * HCT_BIG, HCT_BIG);
			if (done[i] && memcmp(t->dst + i * HCT_BIG,
					      t->src + i * HCT_BIG, HCT_BIG)) {
				ret = hct_fail("slot %d: bad data after a successful copy", i);
				goto out;
			}
		}
		msleep(50);
		if (atomic_read(&t->late)) {
			ret = hct_fail("%d callbacks after synchronize",
				       atomic_read(&t->late));
			goto out;
		}
		for (i = 0; i < HCT_MAX_XFERS; i++)
			if (crc[i] != crc32(0, t->dst + i * HCT_BIG, HCT_BIG)) {
				ret = hct_fail("slot %d: written after synchronize", i);
				goto out;
			}
		hct_log("attempt %d: %d completed, %d aborted\n", attempt,
			completed, HCT_BUSY - completed);
	}
	if (!aborted) {
		ret = hct_fail("never caught the channel busy");
		goto out;
	}
	hct_count = 100;
	ret = hct_test_copy(t);
out:
	kfree(xs);
	return ret;
}

static int hct_count_complete(struct hct *t, struct hct_xfer *xs, int n)
{
	int i, done = 0;

	for (i = 0; i < n; i++)
		if (dmaengine_tx_status(t->chan, xs[i].cookie, NULL) ==
		    DMA_COMPLETE)
			done++;
	return done;
}

/*
 * pause_resume: 256 copies, pause right after issue_pending. Pause stops
 * at a TRE boundary without waiting for it: the copy in flight may still
 * finish, so the count is taken once it had 20 ms to. From then on
 * nothing progresses, the last cookie reads DMA_PAUSED with its whole
 * length as residue; after resume all complete, each slot holds the right
 * bytes, every cookie reads complete with residue 0.
 */
static int hct_test_pause_resume(struct hct *t)
{
	struct dma_tx_state state;
	int attempt, ret, c1 = 0, c2, i;
	struct hct_xfer *xs;
	enum dma_status st;

	xs = kcalloc(HCT_BUSY, sizeof(*xs), GFP_KERNEL);
	if (!xs)
		return -ENOMEM;

	for (attempt = 0; attempt < 10; attempt++) {
		ret = hct_submit_busy(t, xs, 0);
		if (ret)
			goto out;
		dma_async_issue_pending(t->chan);
		ret = dmaengine_pause(t->chan);
		if (ret) {
			ret = hct_fail("pause: %d", ret);
			goto out;
		}
		msleep(20);
		c1 = hct_count_complete(t, xs, HCT_BUSY);
		if (c1 < HCT_BUSY)
			break;
		ret = dmaengine_resume(t->chan);
		if (ret) {
			ret = hct_fail("resume: %d", ret);
			goto out;
		}
		ret = hct_wait_callbacks(t, HCT_BUSY);
		if (ret)
			goto out;
	}
	if (c1 == HCT_BUSY) {
		ret = hct_fail("never caught the channel busy");
		goto out;
	}

	st = dmaengine_tx_status(t->chan, xs[HCT_BUSY - 1].cookie, &state);
	if (st != DMA_PAUSED || state.residue != HCT_BIG) {
		ret = hct_fail("last cookie while paused: status %d, residue %u",
			       st, state.residue);
		goto out;
	}
	msleep(100);
	c2 = hct_count_complete(t, xs, HCT_BUSY);
	if (c2 != c1) {
		ret = hct_fail("progress while paused: %d then %d complete", c1, c2);
		goto out;
	}

	ret = dmaengine_resume(t->chan);
	if (ret) {
		ret = hct_fail("resume: %d", ret);
		goto out;
	}
	ret = hct_wait_callbacks(t, HCT_BUSY);
	if (ret)
		goto out;
	for (i = 0; i < HCT_BUSY; i++) {
		st = dmaengine_tx_status(t->chan, xs[i].cookie, &state);
		if (xs[i].result != DMA_TRANS_NOERROR || st != DMA_COMPLETE ||
		    state.residue) {
			ret = hct_fail("copy %d after resume: result %d, status %d, residue %u",
				       i, xs[i].result, st, state.residue);
			goto out;
		}
	}
	if (memcmp(t->dst, t->src, HCT_BUF_SIZE)) {
		ret = hct_fail("bad data after resume");
		goto out;
	}
	hct_log("paused with %d of %d complete; all complete after resume\n",
		c1, HCT_BUSY);
out:
	kfree(xs);
	return ret;
}

/*
 * synchronize: 200 rounds of small copies with slow callbacks, ended by
 * terminate_sync at random moments. When it returns no callback of the
 * round runs, and none comes later.
 */
static int hct_test_synchronize(struct hct *t)
{
	unsigned int round;
	int i, ret, called = 0;

	t->cb_delay_us = 200;
	hct_fill_random(t->src, HCT_BUF_SIZE);
	for (round = 0; round < 200; round++) {
		atomic_set(&t->ncallbacks, 0);
		for (i = 0; i < 8; i++) {
			t->xfers[i].round = round;
			ret = hct_submit_copy(t, &t->xfers[i], i * 4096, i * 4096,
					      4096, DMA_PREP_INTERRUPT | DMA_CTRL_ACK,
					      true);
			if (ret)
				return ret;
		}
		dma_async_issue_pending(t->chan);
		udelay(get_random_u32_below(400));
		ret = dmaengine_terminate_sync(t->chan);
		if (ret)
			return hct_fail("terminate_sync: %d", ret);
		WRITE_ONCE(t->synced_round, round + 1);
		if (atomic_read(&t->in_callback))
			return hct_fail("round %u: callback running after terminate_sync",
					round);
		called += atomic_read(&t->ncallbacks);
	}
	msleep(50);
	if (atomic_read(&t->late))
		return hct_fail("%d late callbacks", atomic_read(&t->late));
	hct_log("200 rounds, %d of 1600 callbacks ran, none late\n", called);
	t->cb_delay_us = 0;
	hct_count = 100;
	return hct_test_copy(t);
}

static int hct_prep_all(struct hct *t, struct dma_async_tx_descriptor **txs)
{
	int n = 0;

	while (n < HCT_MAX_PREP) {
		txs[n] = dmaengine_prep_dma_memcpy(t->chan, t->dst_dma + n * 64 % HCT_BUF_SIZE,
						   t->src_dma + n * 64 % HCT_BUF_SIZE,
						   64, DMA_CTRL_ACK);
		if (!txs[n])
			break;
		n++;
	}
	return n;
}

/*
 * reuse: prep until prep refuses (the ring is full: the script compares
 * the count with the driver's), submit them all, terminate at once; prep
 * gets every descriptor back; run them to completion (polled); prep gets
 * every descriptor back again.
 */
static int hct_test_reuse(struct hct *t)
{
	struct dma_async_tx_descriptor **txs;
	dma_cookie_t last = 0;
	int n1, n2, n3, i, ret = 0;

	txs = kvcalloc(HCT_MAX_PREP, sizeof(*txs), GFP_KERNEL);
	if (!txs)
		return -ENOMEM;

	n1 = hct_prep_all(t, txs);
	for (i = 0; i < n1; i++)
		dmaengine_submit(txs[i]);
	dma_async_issue_pending(t->chan);
	dmaengine_terminate_sync(t->chan);

	n2 = hct_prep_all(t, txs);
	if (n2 != n1) {
		ret = hct_fail("after terminate prep gave %d descriptors, before %d",
			       n2, n1);
		goto out;
	}
	for (i = 0; i < n2; i++)
		last = dmaengine_submit(txs[i]);
	/* no interrupt was asked for: polling completes them */
	if (dma_sync_wait(t->chan, last) != DMA_COMPLETE) {
		ret = hct_fail("full ring did not complete");
		goto out;
	}

	n3 = hct_prep_all(t, txs);
	if (n3 != n1) {
		ret = hct_fail("after completion prep gave %d descriptors, before %d",
			       n3, n1);
		goto out;
	}
	for (i = 0; i < n3; i++)
		dmaengine_submit(txs[i]);
	dmaengine_terminate_sync(t->chan);
	hct_log("descriptors: %d\n", n1);
out:
	kvfree(txs);
	return ret;
}

/*
 * fault: the script armed a one-shot fault in the model for this
 * channel, or set bad_addr (transfer 0 then uses that unmapped bus
 * address; behind an IOMMU the engine's access to it faults). Of 8
 * copies submitted together the first fails with the expected result
 * and reads DMA_ERROR; the 7 behind it are retried by the driver and
 * succeed; then 1000 more succeed.
 */
static int hct_test_fault(struct hct *t)
{
	enum dmaengine_tx_result want;
	dma_addr_t bad;
	struct dma_tx_state state;
	enum dma_status st;
	int i, ret;

	if (!strcmp(hct_expect, "read"))
		want = DMA_TRANS_READ_FAILED;
	else if (!strcmp(hct_expect, "write"))
		want = DMA_TRANS_WRITE_FAILED;
	else if (!strcmp(hct_expect, "abort"))
		want = DMA_TRANS_ABORTED;
	else
		return hct_fail("expect is '%s'", hct_expect);

	bad = hct_bad_addr;
	hct_bad_addr = 0;
	if (bad && want == DMA_TRANS_ABORTED)
		return hct_fail("bad_addr with expect abort");

	hct_fill_random(t->src, HCT_BUF_SIZE);
	memset(t->dst, 0, HCT_BUF_SIZE);
	atomic_set(&t->ncallbacks, 0);
	for (i = 0; i < 8; i++) {
		const unsigned long fl = DMA_PREP_INTERRUPT | DMA_CTRL_ACK;

		if (!i && bad)
			ret = hct_submit_at(t, &t->xfers[0],
					    want == DMA_TRANS_WRITE_FAILED ?
					    bad : t->dst_dma,
					    want == DMA_TRANS_READ_FAILED ?
					    bad : t->src_dma, 4096, fl, true);
		else
			ret = hct_submit_copy(t, &t->xfers[i], i * 8192,
					      i * 8192, 4096, fl, true);
		if (ret)
			return ret;
	}
	dma_async_issue_pending(t->chan);
	ret = hct_wait_callbacks(t, 8);
	if (ret)
		return ret;

	if (t->xfers[0].result != want)
		return hct_fail("first transfer: result %d, want %d",
				t->xfers[0].result, want);
	if (t->xfers[0].residue != 4096)
		return hct_fail("first transfer: residue %u", t->xfers[0].residue);
	st = dmaengine_tx_status(t->chan, t->xfers[0].cookie, &state);
	if (st != DMA_ERROR)
		return hct_fail("first transfer: status %d, not DMA_ERROR", st);
	for (i = 1; i < 8; i++) {
		struct hct_xfer *x = &t->xfers[i];

		if (x->result != DMA_TRANS_NOERROR || !hct_copied(t, x))
			return hct_fail("transfer %d behind the fault: result %d or bad data",
					i, x->result);
		if (atomic_read(&x->callbacks) != 1)
			return hct_fail("transfer %d: %d callbacks", i,
					atomic_read(&x->callbacks));
	}
	hct_log("fault reported as %s, 7 behind it retried\n", hct_expect);
	hct_count = 1000;
	return hct_test_copy(t);
}

/*
 * The backlog: a client that queues hct_count memcpys of hct_bl_size
 * bytes each (tens of MiB on a bandwidth-limited engine: seconds of
 * work) and returns at once, holding the channel, so that the script can
 * unbind or remove the channel while they are queued and compare what
 * the engine executed with the completions the client saw. Its buffers
 * belong to a device of this module's own: the channel's device loses
 * its driver under them.
 */
#define HCT_BL_BUF	SZ_4M
static u32 hct_bl_size = SZ_1M;
static struct {
	struct platform_device *pdev;
	struct dma_chan *chan;
	struct device *buf_dev;
	void *src, *dst;
	dma_addr_t src_dma, dst_dma;
	u32 submitted;
	atomic_t ok, failed;
} hct_bl;
/* The buffers: taken by the backlog, its release and the bus notifier. */
static DEFINE_MUTEX(hct_bl_lock);

static void hct_bl_callback(void *param, const struct dmaengine_result *res)
{
	if (res->result == DMA_TRANS_NOERROR)
		atomic_inc(&hct_bl.ok);
	else
		atomic_inc(&hct_bl.failed);
}

static void hct_bl_free_bufs(void)
{
	struct device *dev = hct_bl.buf_dev;

	if (!dev)
		return;
	if (hct_bl.src)
		dma_free_coherent(dev, HCT_BL_BUF, hct_bl.src, hct_bl.src_dma);
	if (hct_bl.dst)
		dma_free_coherent(dev, HCT_BL_BUF, hct_bl.dst, hct_bl.dst_dma);
	hct_bl.src = NULL;
	hct_bl.dst = NULL;
	hct_bl.buf_dev = NULL;
	put_device(dev);
}

static void hct_bl_free(void)
{
	mutex_lock(&hct_bl_lock);
	if (hct_bl.chan) {
		dmaengine_terminate_sync(hct_bl.chan);
		dma_release_channel(hct_bl.chan);
		hct_bl.chan = NULL;
	}
	hct_bl_free_bufs();
	mutex_unlock(&hct_bl_lock);
}

/*
 * Behind an IOMMU the buffers must be mapped for the channel's own DMA
 * device (its IOMMU domain), as any client's are. A client cannot keep
 * DMA allocations of a device whose driver goes away (DMA-API debugging
 * reports them at the unbind), so it frees them once the channel's
 * driver is unbound: the driver stopped the channel in its remove, and
 * the engine must not touch them again. Strict invalidation makes any
 * later access fault in the SMMU. The notifier runs before DMA-API
 * debugging's (priority).
 */
static int hct_bl_bus_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct device *dev = data;

	if (action != BUS_NOTIFY_UNBOUND_DRIVER)
		return NOTIFY_DONE;
	mutex_lock(&hct_bl_lock);
	if (hct_bl.buf_dev == dev) {
		hct_bl_free_bufs();
		pr_info("backlog: buffers freed at the unbind of %s\n",
			dev_name(dev));
	}
	mutex_unlock(&hct_bl_lock);
	return NOTIFY_DONE;
}

static struct notifier_block hct_bl_nb = {
	.notifier_call = hct_bl_bus_notify,
	.priority = INT_MAX,
};

static int hct_test_backlog(void)
{
	struct dma_async_tx_descriptor *tx;
	struct device *dev;
	size_t len = hct_bl_size, off = 0;
	dma_cookie_t cookie;
	u32 i;

	if (IS_ERR_OR_NULL(hct_bl.pdev))
		return hct_fail("no buffer device");
	if (hct_bl.chan)
		return hct_fail("a backlog is queued already");
	if (!len || len > HCT_BL_BUF)
		return hct_fail("size %zu: 1 .. %u", len, HCT_BL_BUF);
	hct_bl.submitted = 0;
	atomic_set(&hct_bl.ok, 0);
	atomic_set(&hct_bl.failed, 0);
	hct_bl.chan = hct_request();
	if (!hct_bl.chan)
		return hct_fail("no channel '%s'", hct_channel);
	/* Without an IOMMU, a device of this module's own keeps them. */
	dev = dmaengine_get_dma_device(hct_bl.chan);
	if (!device_iommu_mapped(dev))
		dev = &hct_bl.pdev->dev;
	mutex_lock(&hct_bl_lock);
	hct_bl.buf_dev = get_device(dev);
	hct_bl.src = dma_alloc_coherent(dev, HCT_BL_BUF, &hct_bl.src_dma, GFP_KERNEL);
	hct_bl.dst = dma_alloc_coherent(dev, HCT_BL_BUF, &hct_bl.dst_dma, GFP_KERNEL);
	mutex_unlock(&hct_bl_lock);
	if (!hct_bl.src || !hct_bl.dst) {
		hct_bl_free();
		return hct_fail("no buffers for '%s'", hct_channel);
	}
	hct_log("backlog: buffers of %s\n", dev_name(dev));
	hct_fill_pattern(hct_bl.src, HCT_BL_BUF);
	for (i = 0; i < hct_count; i++) {
		tx = dmaengine_prep_dma_memcpy(hct_bl.chan, hct_bl.dst_dma + off,
					       hct_bl.src_dma + off, len,
					       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (!tx)
			break;
		tx->callback_result = hct_bl_callback;
		cookie = dmaengine_submit(tx);
		if (dma_submit_error(cookie))
			break;
		hct_bl.submitted++;
		off = off + len + len > HCT_BL_BUF ? 0 : off + len;
	}
	dma_async_issue_pending(hct_bl.chan);
	hct_log("backlog: %u of %u transfers of %zu bytes queued on %s\n",
		hct_bl.submitted, hct_count, len, dma_chan_name(hct_bl.chan));
	if (hct_bl.submitted != hct_count)
		return hct_fail("prep or submit failed after %u", hct_bl.submitted);
	return 0;
}

static int hct_bl_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "submitted %u ok %d failed %d\n", hct_bl.submitted,
		   atomic_read(&hct_bl.ok), atomic_read(&hct_bl.failed));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hct_bl);

/* hold: take the channel and keep it (for unbind while held). */
static int hct_test_hold(void)
{
	if (hct_held)
		return hct_fail("already holding a channel");
	hct_held = hct_request();
	if (!hct_held)
		return hct_fail("cannot get channel '%s'", hct_channel);
	hct_log("holding %s\n", dma_chan_name(hct_held));
	return 0;
}

/* use_gone: the held channel's device was unbound: all must fail cleanly. */
static int hct_test_use_gone(void)
{
	struct dma_async_tx_descriptor *tx;

	if (!hct_held)
		return hct_fail("no channel held");
	tx = dmaengine_prep_dma_memcpy(hct_held, 0x1000, 0x2000, 64,
				       DMA_CTRL_ACK);
	if (tx)
		return hct_fail("prep succeeded on a removed channel");
	dma_async_issue_pending(hct_held);
	dmaengine_terminate_sync(hct_held);
	if (dmaengine_pause(hct_held) != -ENODEV)
		return hct_fail("pause on a removed channel did not fail");
	hct_log("removed channel refuses work\n");
	return 0;
}

/*
 * dead: the script made the model's resets hang. Pause (nothing in
 * flight), then terminate: a paused channel is reset, the reset never
 * finishes, the channel must declare itself dead and refuse work instead
 * of hanging or pretending.
 */
static int hct_test_dead(void)
{
	struct dma_async_tx_descriptor *tx;
	int ret;

	if (!hct_held)
		return hct_fail("no channel held");
	ret = dmaengine_pause(hct_held);
	if (ret)
		return hct_fail("pause: %d", ret);
	dmaengine_terminate_sync(hct_held);
	tx = dmaengine_prep_dma_memcpy(hct_held, 0x1000, 0x2000, 64,
				       DMA_CTRL_ACK);
	if (tx)
		return hct_fail("prep succeeded on a channel whose reset hangs");
	hct_log("channel with a hung reset refuses work\n");
	return 0;
}

static int hct_test_release(void)
{
	if (!hct_held)
		return hct_fail("no channel held");
	dma_release_channel(hct_held);
	hct_held = NULL;
	return 0;
}

/*
 * any: a client that asks for any memcpy channel gets one of ours (the
 * only DMA engine of the platform) and can use it.
 */
static int hct_test_any(void)
{
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	struct hct *t;
	int ret;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan))
		return hct_fail("no memcpy channel: %ld", PTR_ERR(chan));
	hct_log("got %s of %s\n", dma_chan_name(chan),
		dev_driver_string(chan->device->dev));
	if (strcmp(dev_driver_string(chan->device->dev), "hidma_chan")) {
		dma_release_channel(chan);
		return hct_fail("not a hidma_chan channel");
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		dma_release_channel(chan);
		return -ENOMEM;
	}
	ret = hct_setup(t, chan);
	if (!ret) {
		hct_count = 100;
		ret = hct_test_copy(t);
	}
	hct_teardown(t);
	kfree(t);
	return ret;
}

/*
 * A device tree client: a platform device "hidma-test,dma-client" whose
 * dmas/dma-names name a channel by phandle. Its probe asks for "tx"
 * (deferring until the channel's driver has registered), copies 100
 * buffers and lets go; "dt_result" says what it got.
 */
static char hct_dt_result[64];

static int hct_dt_probe(struct platform_device *pdev)
{
	struct dma_chan *chan;
	struct hct *t;
	int ret;

	chan = dma_request_chan(&pdev->dev, "tx");
	if (IS_ERR(chan))
		return dev_err_probe(&pdev->dev, PTR_ERR(chan), "no tx channel\n");
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		dma_release_channel(chan);
		return -ENOMEM;
	}
	mutex_lock(&hct_lock);
	ret = hct_setup(t, chan);
	if (!ret) {
		hct_count = 100;
		ret = hct_test_copy(t);
	}
	snprintf(hct_dt_result, sizeof(hct_dt_result), "%s %s %s\n",
		 dma_chan_name(chan), dev_name(chan->device->dev),
		 ret ? "failed" : "ok");
	hct_teardown(t);
	mutex_unlock(&hct_lock);
	kfree(t);
	return 0;
}

static const struct of_device_id hct_dt_match[] = {
	{ .compatible = "hidma-test,dma-client" },
	{ }
};

static struct platform_driver hct_dt_driver = {
	.probe = hct_dt_probe,
	.driver = {
		.name = "hidma_chan_test_client",
		.of_match_table = hct_dt_match,
	},
};

/*
 * The device tree overlay applied through "overlay", 0 if none. Its own
 * lock: applying it probes the client, which takes hct_lock.
 */
static DEFINE_MUTEX(hct_ov_lock);
static int hct_ovcs_id;

static int hct_overlay_apply(const char *path)
{
	void *fdt = NULL;
	ssize_t size;
	int ret;

	if (hct_ovcs_id)
		return -EBUSY;
	size = kernel_read_file_from_path(path, 0, &fdt, SZ_64K, NULL,
					  READING_UNKNOWN);
	if (size < 0)
		return size;
	/* Kbuild: the kernel's of_overlay_fdt_apply() has a target base. */
#ifdef HCT_OF_OVERLAY_TARGET_BASE
	ret = of_overlay_fdt_apply(fdt, size, &hct_ovcs_id, NULL);
#else
	ret = of_overlay_fdt_apply(fdt, size, &hct_ovcs_id);
#endif
	vfree(fdt);
	if (ret)
		hct_ovcs_id = 0;
	return ret;
}

static void hct_overlay_remove(void)
{
	if (hct_ovcs_id)
		of_overlay_remove(&hct_ovcs_id);
	hct_ovcs_id = 0;
}

static const struct {
	const char *name;
	int (*fn)(struct hct *t);
} hct_tests[] = {
	{ "copy", hct_test_copy },
	{ "fill", hct_test_fill },
	{ "polled", hct_test_polled },
	{ "interrupt", hct_test_interrupt },
	{ "terminate_busy", hct_test_terminate_busy },
	{ "pause_resume", hct_test_pause_resume },
	{ "synchronize", hct_test_synchronize },
	{ "reuse", hct_test_reuse },
	{ "fault", hct_test_fault },
};

static int hct_run(const char *name)
{
	struct hct *t;
	unsigned int i;
	u32 count = hct_count;
	int ret;

	hct_log_len = 0;
	hct_log_buf[0] = 0;
	hct_log("%s on %s\n", name, hct_channel);

	if (!strcmp(name, "hold"))
		return hct_test_hold();
	if (!strcmp(name, "use_gone"))
		return hct_test_use_gone();
	if (!strcmp(name, "release"))
		return hct_test_release();
	if (!strcmp(name, "dead"))
		return hct_test_dead();
	if (!strcmp(name, "any"))
		return hct_test_any();
	if (!strcmp(name, "backlog"))
		return hct_test_backlog();
	if (!strcmp(name, "backlog_release")) {
		hct_bl_free();
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(hct_tests); i++)
		if (!strcmp(name, hct_tests[i].name))
			break;
	if (i == ARRAY_SIZE(hct_tests))
		return hct_fail("no test '%s'", name);

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	ret = hct_setup(t, NULL);
	if (!ret)
		ret = hct_tests[i].fn(t);
	hct_teardown(t);
	kfree(t);
	hct_count = count;
	hct_log("%s: %s\n", name, ret ? "FAILED" : "passed");
	return ret;
}

/*
 * hct_copy_word() - a control file's written text, trimmed, into @buf
 * @buf: destination, @size bytes
 * @size: size of @buf
 * @ubuf: what user space wrote
 * @len: how much it wrote
 *
 * Return: 0, -EINVAL if it does not fit, -EFAULT if it cannot be read.
 */
static int hct_copy_word(char *buf, size_t size, const char __user *ubuf,
			 size_t len)
{
	char *word;

	if (len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	word = strim(buf);
	memmove(buf, word, strlen(word) + 1);
	return 0;
}

static ssize_t hct_run_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char name[32];
	int ret;

	ret = hct_copy_word(name, sizeof(name), ubuf, len);
	if (ret)
		return ret;

	mutex_lock(&hct_lock);
	ret = hct_run(name);
	mutex_unlock(&hct_lock);
	if (ret == -ETIMEDOUT)
		return ret;
	return ret ? -EIO : len;
}

static const struct file_operations hct_run_fops = {
	.owner = THIS_MODULE,
	.write = hct_run_write,
};

static ssize_t hct_log_read(struct file *file, char __user *ubuf, size_t len,
			    loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&hct_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, hct_log_buf, hct_log_len);
	mutex_unlock(&hct_lock);
	return ret;
}

static const struct file_operations hct_log_fops = {
	.owner = THIS_MODULE,
	.read = hct_log_read,
};

static ssize_t hct_dt_result_read(struct file *file, char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&hct_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, hct_dt_result,
				      strlen(hct_dt_result));
	mutex_unlock(&hct_lock);
	return ret;
}

static const struct file_operations hct_dt_result_fops = {
	.owner = THIS_MODULE,
	.read = hct_dt_result_read,
};

/* "overlay": write the path of a .dtbo to apply it, "-" to remove it. */
static ssize_t hct_overlay_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char path[128];
	int ret;

	ret = hct_copy_word(path, sizeof(path), ubuf, len);
	if (ret)
		return ret;

	mutex_lock(&hct_ov_lock);
	if (!strcmp(path, "-")) {
		hct_overlay_remove();
		ret = 0;
	} else {
		ret = hct_overlay_apply(path);
	}
	mutex_unlock(&hct_ov_lock);
	return ret ?: len;
}

static const struct file_operations hct_overlay_fops = {
	.owner = THIS_MODULE,
	.write = hct_overlay_write,
};

static ssize_t hct_str_write(char *dst, size_t size, const char __user *ubuf,
			     size_t len)
{
	char buf[32];
	int ret;

	if (len >= size)
		return -EINVAL;
	ret = hct_copy_word(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	mutex_lock(&hct_lock);
	strscpy(dst, buf, size);
	mutex_unlock(&hct_lock);
	return len;
}

static ssize_t hct_channel_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	return hct_str_write(hct_channel, sizeof(hct_channel), ubuf, len);
}

static ssize_t hct_channel_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, len, ppos, hct_channel,
				       strlen(hct_channel));
}

static const struct file_operations hct_channel_fops = {
	.owner = THIS_MODULE,
	.read = hct_channel_read,
	.write = hct_channel_write,
};

static ssize_t hct_expect_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	return hct_str_write(hct_expect, sizeof(hct_expect), ubuf, len);
}

static const struct file_operations hct_expect_fops = {
	.owner = THIS_MODULE,
	.write = hct_expect_write,
};

static int __init hct_init(void)
{
	struct platform_device_info bl = {
		.name = "hidma_chan_test_buf",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(64),
	};
	int ret;

	hct_bl.pdev = platform_device_register_full(&bl);
	ret = bus_register_notifier(&platform_bus_type, &hct_bl_nb);
	if (ret)
		goto err_pdev;
	hct_dir = debugfs_create_dir("hidma_chan_test", NULL);
	debugfs_create_file("channel", 0644, hct_dir, NULL, &hct_channel_fops);
	debugfs_create_u32("count", 0644, hct_dir, &hct_count);
	debugfs_create_x64("bad_addr", 0600, hct_dir, &hct_bad_addr);
	debugfs_create_file("expect", 0200, hct_dir, NULL, &hct_expect_fops);
	debugfs_create_file("run", 0200, hct_dir, NULL, &hct_run_fops);
	debugfs_create_file("log", 0444, hct_dir, NULL, &hct_log_fops);
	debugfs_create_file("dt_result", 0444, hct_dir, NULL,
			    &hct_dt_result_fops);
	debugfs_create_file("overlay", 0200, hct_dir, NULL, &hct_overlay_fops);
	debugfs_create_u32("size", 0644, hct_dir, &hct_bl_size);
	debugfs_create_file("backlog", 0444, hct_dir, NULL, &hct_bl_fops);
	ret = platform_driver_register(&hct_dt_driver);
	if (!ret)
		return 0;
	debugfs_remove(hct_dir);
	bus_unregister_notifier(&platform_bus_type, &hct_bl_nb);
err_pdev:
	if (!IS_ERR_OR_NULL(hct_bl.pdev))
		platform_device_unregister(hct_bl.pdev);
	return ret;
}
module_init(hct_init);

static void __exit hct_exit(void)
{
	debugfs_remove(hct_dir);
	platform_driver_unregister(&hct_dt_driver);
	mutex_lock(&hct_ov_lock);
	hct_overlay_remove();
	mutex_unlock(&hct_ov_lock);
	if (hct_held)
		dma_release_channel(hct_held);
	mutex_lock(&hct_lock);
	hct_bl_free();
	mutex_unlock(&hct_lock);
	bus_unregister_notifier(&platform_bus_type, &hct_bl_nb);
	if (!IS_ERR_OR_NULL(hct_bl.pdev))
		platform_device_unregister(hct_bl.pdev);
}
module_exit(hct_exit);

MODULE_DESCRIPTION("dmaengine client tests for the HIDMA channel driver");
MODULE_LICENSE("GPL");

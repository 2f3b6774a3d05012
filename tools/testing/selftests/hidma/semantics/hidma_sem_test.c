// SPDX-License-Identifier: GPL-2.0-only
/*
 * hidma_sem_test: a dmaengine client that pins the channel driver's stop
 * and error semantics (Documentation/hidma-chan.rst, "Stopping" and
 * "Errors"): what a client may rely on when it pauses, terminates, or
 * sees a transfer fail. Written against the dmaengine client API only.
 *
 * /sys/kernel/debug/hidma_sem_test/
 *   channel  the channel to use, e.g. "dma0chan0"
 *   run      write a test name to run it; the write fails with EIO if the
 *            test fails
 *   log      what the last test did and found
 *
 * Tests:
 *   pause_long        pause while a long TRE runs (bandwidth-limited
 *                     model): pause returns at once with success, the TRE
 *                     in flight completes, nothing after it runs until
 *                     resume, then everything completes with its data
 *   park_start        terminate while a TRE runs and the model's reset
 *                     hangs: the aborted descriptor's unmap data is not
 *                     released; the channel stays held for park_end
 *   park_end          the knob cleared: releasing the channel resets it
 *                     and only then releases the unmap data; the channel
 *                     works again
 *   unmap_sync        terminate with a TRE running: its unmap data is
 *                     released by the time synchronize returns
 *   error_continue    the first of 8 copies fails (the model's fault knob
 *                     is armed by the caller): none of the 7 behind it
 *                     runs before the failure callback returns; then all
 *                     7 complete with their data
 *   error_terminate   the same, the failure callback terminates: none of
 *                     the 7 runs, each reads DMA_ERROR with its whole
 *                     length as residue, no callback
 *   error_blind       the same fault under a client that cannot learn a
 *                     result (a legacy callback, as async_tx has): the
 *                     failed copy is tried once more and all 8 complete
 *                     with their data
 *   residue_aborted   copies aborted before they ran read DMA_ERROR with
 *                     their whole length as residue
 *   failed_stay_failed 40 aborted cookies, interleaved with successful
 *                     ones: every aborted one still reads DMA_ERROR
 *   sleep_start       a long TRE and 8 short ones queued, left running for
 *                     a system suspend
 *   sleep_end         after the resume: all of them complete, data right
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#define HST_LONG	SZ_2M
#define HST_SHORT	SZ_64K
#define HST_NSHORT	8
#define HST_BUF		(HST_LONG + HST_NSHORT * HST_SHORT)
#define HST_TIMEOUT	(20 * HZ)
#define HST_LOG_SIZE	2048
#define HST_NSTAY	40

struct hst;

struct hst_xfer {
	struct hst *t;
	dma_cookie_t cookie;
	size_t off, len;
	atomic_t callbacks;
	enum dmaengine_tx_result result;
	u32 residue;
	bool cb_terminate;
};

struct hst {
	struct dma_chan *chan;
	struct device *dev;
	void *src, *dst;
	dma_addr_t src_dma, dst_dma;
	struct hst_xfer xfers[HST_NSHORT + 1];
	atomic_t ncallbacks;
	bool behind_ran_in_cb;
	wait_queue_head_t wq;
};

static DEFINE_MUTEX(hst_lock);
static char hst_channel[32];
static char hst_log_buf[HST_LOG_SIZE];
static size_t hst_log_len;
static struct dentry *hst_dir;

/* Kept between park_start and park_end, and sleep_start and sleep_end. */
static struct hst hst_held;
static struct dmaengine_unmap_data *hst_unmap;
static struct page *hst_pages[2];

static __printf(1, 2) void hst_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hst_log_len += vscnprintf(hst_log_buf + hst_log_len,
				  sizeof(hst_log_buf) - hst_log_len, fmt, ap);
	va_end(ap);
}

#define hst_fail(fmt, ...) ({ hst_log("FAIL: " fmt "\n", ##__VA_ARGS__); -EIO; })

static bool hst_filter(struct dma_chan *chan, void *param)
{
	return !strcmp(dma_chan_name(chan), param);
}

static int hst_setup(struct hst *t)
{
	dma_cap_mask_t mask;

	memset(t, 0, sizeof(*t));
	init_waitqueue_head(&t->wq);
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	t->chan = dma_request_channel(mask, hst_filter, hst_channel);
	if (!t->chan)
		return hst_fail("cannot get channel '%s'", hst_channel);
	t->dev = t->chan->device->dev;
	t->src = dma_alloc_coherent(t->dev, HST_BUF, &t->src_dma, GFP_KERNEL);
	t->dst = dma_alloc_coherent(t->dev, HST_BUF, &t->dst_dma, GFP_KERNEL);
	if (!t->src || !t->dst)
		return hst_fail("no coherent buffers");
	get_random_bytes(t->src, HST_BUF);
	memset(t->dst, 0x5a, HST_BUF);
	return 0;
}

static void hst_teardown(struct hst *t)
{
	if (!t->chan)
		return;
	dmaengine_terminate_sync(t->chan);
	if (t->src)
		dma_free_coherent(t->dev, HST_BUF, t->src, t->src_dma);
	if (t->dst)
		dma_free_coherent(t->dev, HST_BUF, t->dst, t->dst_dma);
	dma_release_channel(t->chan);
	t->chan = NULL;
}

static bool hst_poisoned(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0x5a)
			return false;
	return true;
}

static void hst_callback(void *param, const struct dmaengine_result *res)
{
	struct hst_xfer *x = param;
	struct hst *t = x->t;

	x->result = res->result;
	x->residue = res->residue;
	if (res->result != DMA_TRANS_NOERROR && x == &t->xfers[0]) {
		/*
		 * The failure callback: give the work behind it time to run
		 * if the driver let it, then look at its destination.
		 */
		mdelay(20);
		t->behind_ran_in_cb = !hst_poisoned(t->dst + t->xfers[1].off,
						    t->xfers[1].len);
		if (x->cb_terminate)
			dmaengine_terminate_async(t->chan);
	}
	atomic_inc(&x->callbacks);
	atomic_inc(&t->ncallbacks);
	wake_up(&t->wq);
}

static int hst_submit(struct hst *t, struct hst_xfer *x, size_t off,
		      size_t len)
{
	struct dma_async_tx_descriptor *tx;

	x->t = t;
	x->off = off;
	x->len = len;
	x->result = -1;
	atomic_set(&x->callbacks, 0);
	tx = dmaengine_prep_dma_memcpy(t->chan, t->dst_dma + off,
				       t->src_dma + off, len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx)
		return hst_fail("prep of %zu bytes failed", len);
	tx->callback_result = hst_callback;
	tx->callback_param = x;
	x->cookie = dmaengine_submit(tx);
	if (dma_submit_error(x->cookie))
		return hst_fail("submit failed: %d", x->cookie);
	return 0;
}

static int hst_wait(struct hst *t, int n)
{
	if (!wait_event_timeout(t->wq, atomic_read(&t->ncallbacks) >= n,
				HST_TIMEOUT))
		return hst_fail("%d of %d callbacks after %d s",
				atomic_read(&t->ncallbacks), n,
				HST_TIMEOUT / HZ);
	return 0;
}

static bool hst_copied(struct hst *t, struct hst_xfer *x)
{
	return !memcmp(t->dst + x->off, t->src + x->off, x->len);
}

/* One long copy (xfers[0]) then HST_NSHORT short ones behind it. */
static int hst_submit_long_and_short(struct hst *t)
{
	int i, ret;

	ret = hst_submit(t, &t->xfers[0], 0, HST_LONG);
	for (i = 1; !ret && i <= HST_NSHORT; i++)
		ret = hst_submit(t, &t->xfers[i],
				 HST_LONG + (i - 1) * HST_SHORT, HST_SHORT);
	return ret;
}

static int hst_check_all_copied(struct hst *t)
{
	int i;

	for (i = 0; i <= HST_NSHORT; i++) {
		struct hst_xfer *x = &t->xfers[i];
		struct dma_tx_state st;
		enum dma_status s;

		s = dmaengine_tx_status(t->chan, x->cookie, &st);
		if (atomic_read(&x->callbacks) != 1 ||
		    x->result != DMA_TRANS_NOERROR || s != DMA_COMPLETE ||
		    st.residue || !hst_copied(t, x))
			return hst_fail("copy %d: %d calls, result %d, status %d, residue %u, %s",
					i, atomic_read(&x->callbacks), x->result,
					s, st.residue,
					hst_copied(t, x) ? "data ok" : "wrong data");
	}
	return 0;
}

static int hst_test_pause_long(struct hst *t)
{
	struct dma_tx_state st;
	enum dma_status s;
	int ret, i;

	ret = hst_submit_long_and_short(t);
	if (ret)
		return ret;
	dma_async_issue_pending(t->chan);
	msleep(50);
	if (atomic_read(&t->ncallbacks))
		return hst_fail("the long copy finished within 50 ms: is the bandwidth limited?");

	ret = dmaengine_pause(t->chan);
	if (ret)
		return hst_fail("pause with a long TRE running: %d", ret);
	s = dmaengine_tx_status(t->chan, t->xfers[HST_NSHORT].cookie, &st);
	if (s != DMA_PAUSED || st.residue != HST_SHORT)
		return hst_fail("last copy while paused: status %d, residue %u",
				s, st.residue);

	/* The TRE in flight finishes; nothing behind it starts. */
	if (!wait_event_timeout(t->wq, atomic_read(&t->xfers[0].callbacks),
				HST_TIMEOUT))
		return hst_fail("the long copy did not finish while paused");
	msleep(300);
	for (i = 1; i <= HST_NSHORT; i++) {
		if (atomic_read(&t->xfers[i].callbacks) ||
		    !hst_poisoned(t->dst + t->xfers[i].off, HST_SHORT))
			return hst_fail("copy %d ran while paused", i);
		if (dmaengine_tx_status(t->chan, t->xfers[i].cookie, NULL) !=
		    DMA_PAUSED)
			return hst_fail("copy %d does not read paused", i);
	}
	hst_log("paused during the long copy; it finished, %d waited\n",
		HST_NSHORT);

	ret = dmaengine_resume(t->chan);
	if (ret)
		return hst_fail("resume: %d", ret);
	ret = hst_wait(t, HST_NSHORT + 1);
	if (ret)
		return ret;
	return hst_check_all_copied(t);
}

/* Unmap data for one copy: two pages mapped here, unmapped by the kref. */
static struct dmaengine_unmap_data *hst_get_unmap(struct hst *t)
{
	struct dmaengine_unmap_data *u;
	int i;

	u = dmaengine_get_unmap_data(t->dev, 2, GFP_KERNEL);
	if (!u)
		return NULL;
	u->len = HST_LONG;
	for (i = 0; i < 2; i++) {
		hst_pages[i] = alloc_pages(GFP_KERNEL, get_order(HST_LONG));
		if (!hst_pages[i])
			goto err;
		u->addr[i] = dma_map_page(t->dev, hst_pages[i], 0, HST_LONG,
					  i ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
		if (dma_mapping_error(t->dev, u->addr[i]))
			goto err;
		if (i)
			u->from_cnt = 1;
		else
			u->to_cnt = 1;
	}
	return u;
err:
	/* dmaengine_unmap_put() unmaps what the counts say is mapped. */
	dmaengine_unmap_put(u);
	for (i = 0; i < 2; i++)
		if (hst_pages[i])
			__free_pages(hst_pages[i], get_order(HST_LONG));
	return NULL;
}

static void hst_put_unmap(void)
{
	int i;

	if (!hst_unmap)
		return;
	dmaengine_unmap_put(hst_unmap);
	hst_unmap = NULL;
	for (i = 0; i < 2; i++)
		if (hst_pages[i])
			__free_pages(hst_pages[i], get_order(HST_LONG));
	memset(hst_pages, 0, sizeof(hst_pages));
}

/* Submit one long copy carrying @u, with no callback; it runs now. */
static int hst_submit_unmapped(struct hst *t, struct dmaengine_unmap_data *u)
{
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie;

	tx = dmaengine_prep_dma_memcpy(t->chan, u->addr[1], u->addr[0],
				       HST_LONG, DMA_CTRL_ACK);
	if (!tx)
		return hst_fail("prep failed");
	dma_set_unmap(tx, u);
	cookie = dmaengine_submit(tx);
	if (dma_submit_error(cookie))
		return hst_fail("submit failed: %d", cookie);
	dma_async_issue_pending(t->chan);
	msleep(50);
	if (dmaengine_tx_status(t->chan, cookie, NULL) == DMA_COMPLETE)
		return hst_fail("the long copy finished within 50 ms: is the bandwidth limited?");
	return 0;
}

static int hst_test_park_start(void)
{
	struct hst *t = &hst_held;
	int ret;

	if (t->chan)
		return hst_fail("park_start twice");
	ret = hst_setup(t);
	if (ret)
		goto err;
	hst_unmap = hst_get_unmap(t);
	if (!hst_unmap) {
		ret = hst_fail("no unmap data");
		goto err;
	}
	ret = hst_submit_unmapped(t, hst_unmap);
	if (ret)
		goto err;
	dmaengine_terminate_async(t->chan);
	if (kref_read(&hst_unmap->kref) != 2) {
		ret = hst_fail("terminate released the unmap data at once (refs %u)",
			       kref_read(&hst_unmap->kref));
		goto err;
	}
	dmaengine_synchronize(t->chan);
	msleep(100);
	if (kref_read(&hst_unmap->kref) != 2) {
		ret = hst_fail("unmap data released although the reset never completed (refs %u)",
			       kref_read(&hst_unmap->kref));
		goto err;
	}
	hst_log("terminated; the reset hangs, the unmap data is kept\n");
	return 0;
err:
	hst_teardown(t);
	hst_put_unmap();
	return ret;
}

static int hst_test_park_end(void)
{
	struct hst *t = &hst_held;
	int ret = 0;

	if (!t->chan || !hst_unmap)
		return hst_fail("park_end without park_start");
	hst_teardown(t);
	if (kref_read(&hst_unmap->kref) != 1)
		ret = hst_fail("releasing the channel left the unmap data held (refs %u)",
			       kref_read(&hst_unmap->kref));
	hst_put_unmap();
	if (ret)
		return ret;
	hst_log("released with the channel, after its reset\n");

	/* The channel works again. */
	ret = hst_setup(t);
	if (!ret)
		ret = hst_submit(t, &t->xfers[1], 0, HST_SHORT);
	if (!ret) {
		dma_async_issue_pending(t->chan);
		ret = hst_wait(t, 1);
	}
	if (!ret && !hst_copied(t, &t->xfers[1]))
		ret = hst_fail("bad data after the channel came back");
	hst_teardown(t);
	return ret;
}

static int hst_test_unmap_sync(struct hst *t)
{
	struct dmaengine_unmap_data *u;
	int ret;

	u = hst_get_unmap(t);
	if (!u)
		return hst_fail("no unmap data");
	hst_unmap = u;
	ret = hst_submit_unmapped(t, u);
	if (!ret) {
		dmaengine_terminate_sync(t->chan);
		if (kref_read(&u->kref) != 1)
			ret = hst_fail("unmap data still held after terminate_sync (refs %u)",
				       kref_read(&u->kref));
	}
	hst_put_unmap();
	return ret;
}

static int hst_test_error(struct hst *t, bool terminate)
{
	int i, ret;

	t->xfers[0].cb_terminate = terminate;
	for (i = 0; i < 8; i++) {
		ret = hst_submit(t, &t->xfers[i], i * HST_SHORT, HST_SHORT);
		if (ret)
			return ret;
		t->xfers[i].cb_terminate = terminate && !i;
	}
	dma_async_issue_pending(t->chan);
	if (!wait_event_timeout(t->wq, atomic_read(&t->xfers[0].callbacks),
				HST_TIMEOUT))
		return hst_fail("no callback for the failing copy");
	if (t->xfers[0].result == DMA_TRANS_NOERROR)
		return hst_fail("the first copy did not fail: is the fault armed?");
	if (t->behind_ran_in_cb)
		return hst_fail("work behind the failed copy ran before its callback returned");

	if (!terminate) {
		ret = hst_wait(t, 8);
		if (ret)
			return ret;
		for (i = 1; i < 8; i++)
			if (t->xfers[i].result != DMA_TRANS_NOERROR ||
			    !hst_copied(t, &t->xfers[i]))
				return hst_fail("copy %d behind the failure: result %d",
						i, t->xfers[i].result);
		hst_log("copy 0 failed (%d); the 7 behind it ran after its callback\n",
			t->xfers[0].result);
		return 0;
	}

	dmaengine_synchronize(t->chan);
	msleep(100);
	for (i = 1; i < 8; i++) {
		struct dma_tx_state st;
		enum dma_status s;

		s = dmaengine_tx_status(t->chan, t->xfers[i].cookie, &st);
		if (atomic_read(&t->xfers[i].callbacks) || s != DMA_ERROR ||
		    st.residue != HST_SHORT ||
		    !hst_poisoned(t->dst + t->xfers[i].off, HST_SHORT))
			return hst_fail("copy %d, cb terminated: %d calls, status %d, residue %u",
					i, atomic_read(&t->xfers[i].callbacks),
					s, st.residue);
	}
	hst_log("copy 0 failed (%d); its callback terminated, none of the 7 ran\n",
		t->xfers[0].result);
	return 0;
}

static void hst_legacy_callback(void *param)
{
	struct hst_xfer *x = param;

	atomic_inc(&x->callbacks);
	atomic_inc(&x->t->ncallbacks);
	wake_up(&x->t->wq);
}

static int hst_test_error_blind(struct hst *t)
{
	struct dma_async_tx_descriptor *tx;
	int i, ret;

	for (i = 0; i < 8; i++) {
		struct hst_xfer *x = &t->xfers[i];

		x->t = t;
		x->off = i * HST_SHORT;
		x->len = HST_SHORT;
		tx = dmaengine_prep_dma_memcpy(t->chan, t->dst_dma + x->off,
					       t->src_dma + x->off, x->len,
					       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (!tx)
			return hst_fail("prep failed");
		tx->callback = hst_legacy_callback;
		tx->callback_param = x;
		x->cookie = dmaengine_submit(tx);
		if (dma_submit_error(x->cookie))
			return hst_fail("submit failed: %d", x->cookie);
	}
	dma_async_issue_pending(t->chan);
	ret = hst_wait(t, 8);
	if (ret)
		return ret;
	for (i = 0; i < 8; i++)
		if (dmaengine_tx_status(t->chan, t->xfers[i].cookie, NULL) !=
		    DMA_COMPLETE || !hst_copied(t, &t->xfers[i]))
			return hst_fail("copy %d: not complete or wrong data", i);
	hst_log("a legacy-callback client: the faulted copy was tried again, all 8 complete\n");
	return 0;
}

/* Submit @n copies on a paused channel and terminate them unrun. */
static int hst_abort_unrun(struct hst *t, int n)
{
	int i, ret;

	ret = dmaengine_pause(t->chan);
	if (ret)
		return hst_fail("pause: %d", ret);
	for (i = 0; i < n; i++) {
		ret = hst_submit(t, &t->xfers[i], i * HST_SHORT,
				 HST_SHORT - 512 * i);
		if (ret)
			return ret;
	}
	dma_async_issue_pending(t->chan);
	ret = dmaengine_terminate_sync(t->chan);
	if (ret)
		return hst_fail("terminate: %d", ret);
	return 0;
}

static int hst_test_residue_aborted(struct hst *t)
{
	int i, ret;

	ret = hst_abort_unrun(t, 8);
	if (ret)
		return ret;
	for (i = 0; i < 8; i++) {
		struct hst_xfer *x = &t->xfers[i];
		struct dma_tx_state st;
		enum dma_status s;

		s = dmaengine_tx_status(t->chan, x->cookie, &st);
		if (s != DMA_ERROR || st.residue != x->len ||
		    atomic_read(&x->callbacks))
			return hst_fail("aborted copy %d of %zu B: status %d, residue %u, %d calls",
					i, x->len, s, st.residue,
					atomic_read(&x->callbacks));
	}
	hst_log("8 aborted copies: DMA_ERROR, whole length as residue\n");
	return 0;
}

static int hst_test_failed_stay_failed(struct hst *t)
{
	dma_cookie_t bad[HST_NSTAY], good[HST_NSTAY];
	int i, ret;

	for (i = 0; i < HST_NSTAY; i++) {
		ret = hst_abort_unrun(t, 1);
		if (ret)
			return ret;
		bad[i] = t->xfers[0].cookie;
		ret = dmaengine_resume(t->chan);
		if (ret)
			return hst_fail("resume: %d", ret);
		atomic_set(&t->ncallbacks, 0);
		ret = hst_submit(t, &t->xfers[1], HST_SHORT, 4096);
		if (ret)
			return ret;
		dma_async_issue_pending(t->chan);
		ret = hst_wait(t, 1);
		if (ret)
			return ret;
		good[i] = t->xfers[1].cookie;
	}
	for (i = 0; i < HST_NSTAY; i++) {
		struct dma_tx_state st;

		if (dmaengine_tx_status(t->chan, bad[i], &st) != DMA_ERROR ||
		    st.residue != HST_SHORT)
			return hst_fail("aborted cookie %d (%d of %d) reads %s, residue %u",
					bad[i], i, HST_NSTAY,
					dmaengine_tx_status(t->chan, bad[i], NULL) ==
					DMA_COMPLETE ? "complete" : "other",
					st.residue);
		if (dmaengine_tx_status(t->chan, good[i], NULL) != DMA_COMPLETE)
			return hst_fail("successful cookie %d does not read complete",
					good[i]);
	}
	hst_log("%d aborted cookies read DMA_ERROR, %d good ones complete\n",
		HST_NSTAY, HST_NSTAY);
	return 0;
}

static int hst_test_sleep_start(void)
{
	struct hst *t = &hst_held;
	int ret;

	if (t->chan)
		return hst_fail("sleep_start twice");
	ret = hst_setup(t);
	if (!ret)
		ret = hst_submit_long_and_short(t);
	if (ret) {
		hst_teardown(t);
		return ret;
	}
	dma_async_issue_pending(t->chan);
	hst_log("long copy and %d short ones queued\n", HST_NSHORT);
	return 0;
}

static int hst_test_sleep_end(void)
{
	struct hst *t = &hst_held;
	int ret;

	if (!t->chan)
		return hst_fail("sleep_end without sleep_start");
	ret = hst_wait(t, HST_NSHORT + 1);
	if (!ret)
		ret = hst_check_all_copied(t);
	if (!ret)
		hst_log("all %d copies complete after the resume\n",
			HST_NSHORT + 1);
	hst_teardown(t);
	return ret;
}

static int hst_run(const char *name)
{
	struct hst *t;
	int ret;

	if (!strcmp(name, "park_start"))
		return hst_test_park_start();
	if (!strcmp(name, "park_end"))
		return hst_test_park_end();
	if (!strcmp(name, "sleep_start"))
		return hst_test_sleep_start();
	if (!strcmp(name, "sleep_end"))
		return hst_test_sleep_end();

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	ret = hst_setup(t);
	if (ret)
		goto out;
	if (!strcmp(name, "pause_long"))
		ret = hst_test_pause_long(t);
	else if (!strcmp(name, "unmap_sync"))
		ret = hst_test_unmap_sync(t);
	else if (!strcmp(name, "error_continue"))
		ret = hst_test_error(t, false);
	else if (!strcmp(name, "error_terminate"))
		ret = hst_test_error(t, true);
	else if (!strcmp(name, "error_blind"))
		ret = hst_test_error_blind(t);
	else if (!strcmp(name, "residue_aborted"))
		ret = hst_test_residue_aborted(t);
	else if (!strcmp(name, "failed_stay_failed"))
		ret = hst_test_failed_stay_failed(t);
	else
		ret = hst_fail("no test '%s'", name);
out:
	hst_teardown(t);
	kfree(t);
	return ret;
}

/* A word written to a control file, without its surrounding blanks. */
static ssize_t hst_copy_word(char *dst, size_t size, const char __user *ubuf,
			     size_t count)
{
	char buf[64];

	if (count >= sizeof(buf) || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strscpy(dst, strim(buf), size);
	return count;
}

static ssize_t hst_channel_write(struct file *f, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&hst_lock);
	ret = hst_copy_word(hst_channel, sizeof(hst_channel), ubuf, count);
	mutex_unlock(&hst_lock);
	return ret;
}

static const struct file_operations hst_channel_fops = {
	.write = hst_channel_write,
};

static ssize_t hst_run_write(struct file *f, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char name[32];
	ssize_t ret;

	ret = hst_copy_word(name, sizeof(name), ubuf, count);
	if (ret < 0)
		return ret;
	mutex_lock(&hst_lock);
	hst_log_len = 0;
	hst_log_buf[0] = '\0';
	hst_log("%s on %s\n", name, hst_channel);
	ret = hst_run(name);
	mutex_unlock(&hst_lock);
	return ret ? -EIO : count;
}

static const struct file_operations hst_run_fops = {
	.write = hst_run_write,
};

static ssize_t hst_log_read(struct file *f, char __user *ubuf, size_t count,
			    loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&hst_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, hst_log_buf,
				      hst_log_len);
	mutex_unlock(&hst_lock);
	return ret;
}

static const struct file_operations hst_log_fops = {
	.read = hst_log_read,
};

static int __init hst_init(void)
{
	hst_dir = debugfs_create_dir("hidma_sem_test", NULL);
	debugfs_create_file("channel", 0200, hst_dir, NULL, &hst_channel_fops);
	debugfs_create_file("run", 0200, hst_dir, NULL, &hst_run_fops);
	debugfs_create_file("log", 0400, hst_dir, NULL, &hst_log_fops);
	return 0;
}
module_init(hst_init);

static void __exit hst_exit(void)
{
	debugfs_remove(hst_dir);
	mutex_lock(&hst_lock);
	hst_teardown(&hst_held);
	hst_put_unmap();
	mutex_unlock(&hst_lock);
}
module_exit(hst_exit);

MODULE_DESCRIPTION("HIDMA channel stop and error semantics test client");
MODULE_LICENSE("GPL");

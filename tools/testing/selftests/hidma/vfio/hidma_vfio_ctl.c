// SPDX-License-Identifier: GPL-2.0-only
/*
 * The userspace driver as a step-by-step tool, for tests that need the
 * channel in a given state while something else happens (a model knob
 * is set, the process dies):
 *
 *   hidma_vfio_ctl [--polled] DEVICE STEP...
 *
 * Opens DEVICE (bound to vfio-platform), then runs the steps in order:
 *
 *   init     the driver's set-up (ops->init)
 *   memcpy   copy 64 KiB, wait, check the data
 *   stall    queue more copies than the event ring holds and wait until
 *            the channel stalls RUNNING with work pending; consume no
 *            event, acknowledge no interrupt
 *   reset    VFIO_DEVICE_RESET (not followed by init)
 *   state    print the channel's registers that tell whether it is quiet
 *   sh:CMD   run CMD with the shell
 *   exit     end at once, no cleanup: no remove, no close
 *   hang     sleep until killed, no cleanup
 *
 * and, when no step ended it, removes the driver and closes the device.
 * Every step prints one line "STEP: RESULT" on stdout; "reset" prints
 * the ioctl's result ("reset: 0" or "reset: -ETIMEDOUT") and never fails
 * the run. Exit status: 0, or 1 at the first failed step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hidma_udrv.h"

#define TIMEOUT_MS		10000
#define COPY_LEN		65536

static struct hidma_udrv h;
static struct vfio_dma_mem buf;

static const char *errname(int err)
{
	switch (err) {
	case 0:
		return "0";
	case -ETIMEDOUT:
		return "-ETIMEDOUT";
	case -EINVAL:
		return "-EINVAL";
	case -EIO:
		return "-EIO";
	default:
		return strerror(-err);
	}
}

static int step_memcpy(void)
{
	char *src = buf.va, *dst = src + COPY_LEN;
	int ret, i;

	for (i = 0; i < COPY_LEN; i++)
		src[i] = i * 7 + 1;
	memset(dst, 0, COPY_LEN);
	ret = h.ops->memcpy_start(&h, vfio_dma_bus(&buf, src),
				  vfio_dma_bus(&buf, dst), COPY_LEN, 1);
	if (!ret)
		ret = h.ops->wait(&h, TIMEOUT_MS);
	if (!ret && memcmp(src, dst, COPY_LEN))
		ret = -EILSEQ;
	printf("memcpy: %s\n", ret ? errname(ret) : "ok");
	return ret;
}

static int step_stall(void)
{
	const __u32 full = HIDMA_UDRV_EV_CAPACITY * sizeof(struct hidma_evre);
	const unsigned int queued = HIDMA_UDRV_EV_CAPACITY + 64;
	char *src = buf.va, *dst = src + COPY_LEN;
	int ret, i;

	ret = h.ops->memcpy_start(&h, vfio_dma_bus(&buf, src),
				  vfio_dma_bus(&buf, dst), COPY_LEN, queued);
	if (ret) {
		printf("stall: memcpy_start %s\n", errname(ret));
		return ret;
	}
	for (i = 0; i < TIMEOUT_MS; i++) {
		if (hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR) == full)
			break;
		usleep(1000);
	}
	if (hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR) != full) {
		printf("stall: no stall, WRITE_PTR 0x%x\n",
		       hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
		return -ETIMEDOUT;
	}
	/* Counted, not consumed: the channel stays stalled. */
	hidma_udrv_reap(&h, false);
	printf("stall: tres %llu pending %u state %u irq_stat 0x%x\n",
	       (unsigned long long)h.stats.tres, h.pending,
	       hidma_udrv_state(&h, HIDMA_REGION_TRCA),
	       hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT));
	return 0;
}

static void step_state(void)
{
	printf("state: trca %u evca %u irq_en 0x%x irq_stat 0x%x",
	       hidma_udrv_state(&h, HIDMA_REGION_TRCA),
	       hidma_udrv_state(&h, HIDMA_REGION_EVCA),
	       hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_IRQ_EN),
	       hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT));
	printf(" write_ptr 0x%x doorbell 0x%x\n",
	       hidma_rd(&h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR),
	       hidma_rd(&h, HIDMA_REGION_TRCA, CH_DOORBELL));
}

static int run_step(const char *s)
{
	int ret;

	if (!strcmp(s, "init")) {
		ret = h.ops->init(&h);
		printf("init: %s\n", errname(ret));
		return ret;
	}
	if (!strcmp(s, "memcpy"))
		return step_memcpy();
	if (!strcmp(s, "stall"))
		return step_stall();
	if (!strcmp(s, "reset")) {
		ret = vfio_plat_reset(&h.vfio);
		h.stats.vfio_resets++;
		printf("reset: %s\n", errname(ret));
		return 0;
	}
	if (!strcmp(s, "state")) {
		step_state();
		return 0;
	}
	if (!strncmp(s, "sh:", 3)) {
		fflush(stdout);
		ret = system(s + 3);
		printf("sh: %d\n", ret);
		return ret ? -ECHILD : 0;
	}
	if (!strcmp(s, "exit")) {
		printf("exit: no cleanup\n");
		fflush(stdout);
		_exit(0);
	}
	if (!strcmp(s, "hang")) {
		printf("hang: no cleanup\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	printf("%s: unknown step\n", s);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	bool irq = true;
	int ret, i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--polled")) {
		irq = false;
		i++;
	}
	if (argc <= i) {
		fprintf(stderr, "usage: %s [--polled] DEVICE STEP...\n",
			argv[0]);
		return 2;
	}
	ret = hidma_udrv_open(&h, argv[i], irq);
	if (!ret)
		ret = vfio_dma_alloc(&h.vfio, &buf, 2 * COPY_LEN);
	if (ret) {
		printf("open: %s\n", errname(ret));
		return 1;
	}
	for (i++; i < argc; i++)
		if (run_step(argv[i]))
			return 1;
	h.ops->remove(&h);
	vfio_dma_free(&h.vfio, &buf);
	hidma_udrv_close(&h);
	return 0;
}

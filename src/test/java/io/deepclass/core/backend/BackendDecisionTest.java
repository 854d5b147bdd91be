package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.deepclass.core.backend.BackendDecision.Device;

/** The backend choice with the GPU facts injected: which backend, and the sentence that says why. */
class BackendDecisionTest {

	private static final GpuFacts RTX3080 = new GpuFacts("NVIDIA GeForce RTX 3080", 8, 6, 10240,
		"535.104.05", "12.2");

	private static final GpuFacts RTX4090 = new GpuFacts("NVIDIA GeForce RTX 4090", 8, 9, 24564,
		"550.54.14", "12.4");

	private static final GpuFacts H100 = new GpuFacts("NVIDIA H100 80GB HBM3", 9, 0, 81559,
		"550.54.15", "12.4");

	/** A GPU variant whose CUDA libraries load, counting how often they were loaded. */
	private static final class FakeCuda implements CudaRuntime {

		final boolean present;

		final Status status;

		int loads;

		FakeCuda(final boolean present, final Status status) {
			this.present = present;
			this.status = status;
		}

		@Override
		public boolean backendPresent() {
			return present;
		}

		@Override
		public Status load() {
			loads++;
			return status;
		}
	}

	private static FakeCuda working() {
		return new FakeCuda(true, CudaRuntime.Status.ok("11.6", "8.3.2"));
	}

	@Test
	void noGpuRunsOnTheCpu() {
		final FakeCuda cuda = working();
		final BackendDecision d = BackendDecision.decide(null, null, cuda);
		assertEquals(Device.CPU, d.device());
		assertEquals("no NVIDIA GPU found (nvidia-smi is absent or lists none); running on the CPU",
			d.reason());
		assertEquals(0, cuda.loads, "no GPU: the CUDA libraries are not even loaded");
	}

	@Test
	void ampereRunsOnCuda() {
		final BackendDecision d = BackendDecision.decide("auto", RTX3080, working());
		assertEquals(Device.CUDA, d.device());
		assertEquals("running on NVIDIA GeForce RTX 3080 (compute 8.6, 10240 MiB) with CUDA 11.6 " +
			"and cuDNN 8.3.2", d.reason());
	}

	@Test
	void adaRunsTheAmpereCodeOnCuda() {
		final BackendDecision d = BackendDecision.decide(null, RTX4090, working());
		assertEquals(Device.CUDA, d.device());
		assertTrue(d.reason().startsWith("running on NVIDIA GeForce RTX 4090 (compute 8.9"), d
			.reason());
	}

	@Test
	void hopperFallsBackToTheCpuWithTheReason() {
		final FakeCuda cuda = working();
		final BackendDecision d = BackendDecision.decide(null, H100, cuda);
		assertEquals(Device.CPU, d.device());
		assertEquals("NVIDIA H100 80GB HBM3 (compute 9.0) is newer than ND4J 1.0.0-M2.1's CUDA " +
			"build supports (up to 8.9); running on the CPU", d.reason());
		assertEquals(0, cuda.loads, "an unsupported GPU never loads CUDA");
		assertEquals(H100, d.gpu(), "the System Check still shows the GPU");
	}

	@Test
	void blackwellAndTooOldGpusFallBack() {
		final GpuFacts rtx5090 = new GpuFacts("NVIDIA GeForce RTX 5090", 12, 0, 32607, "570.86",
			"12.8");
		assertEquals(Device.CPU, BackendDecision.decide(null, rtx5090, working()).device());
		final GpuFacts gtx680 = new GpuFacts("NVIDIA GeForce GTX 680", 3, 0, 2048, "470.82", "11.4");
		final BackendDecision d = BackendDecision.decide(null, gtx680, working());
		assertEquals(Device.CPU, d.device());
		assertTrue(d.reason().contains("(compute 3.0) is older than ND4J"), d.reason());
	}

	@Test
	void missingRuntimeLibrariesFallBackAndSayWhatToInstall() {
		final FakeCuda cuda = new FakeCuda(true, CudaRuntime.Status.failed(
			"libcudart.so.11.0: cannot open shared object file"));
		final BackendDecision d = BackendDecision.decide(null, RTX3080, cuda);
		assertEquals(Device.CPU, d.device());
		assertEquals(1, cuda.loads);
		assertEquals("NVIDIA GeForce RTX 3080 (compute 8.6, 10240 MiB) could run ND4J's CUDA build, " +
			"but the CUDA 11.6 libraries did not load (libcudart.so.11.0: cannot open shared object " +
			"file). Install the CUDA 11.6 runtime and cuDNN 8, or JavaCPP's cuda-platform-redist " +
			"11.6-8.3-1.5.7 jars. Running on the CPU", d.reason());
	}

	@Test
	void aBrokenGpuVariantFallsBackAndSaysSo() {
		final BackendDecision d = BackendDecision.decide(null, RTX3080, CudaRuntime.broken(
			"the GPU variant is installed without its CUDA presets: org/bytedeco/cuda/global/cudart"));
		assertEquals(Device.CPU, d.device());
		assertTrue(d.reason().contains("without its CUDA presets: org/bytedeco/cuda/global/cudart"),
			d.reason());
	}

	@Test
	void theCpuBuildNamesTheGpuVariant() {
		final BackendDecision d = BackendDecision.decide(null, RTX3080, CudaRuntime.ABSENT);
		assertEquals(Device.CPU, d.device());
		assertTrue(d.reason().contains("this is the CPU build of DeepClass; install the GPU " +
			"variant"), d.reason());
	}

	@Test
	void anOldDriverWithoutComputeCapabilityFallsBack() {
		final GpuFacts k80 = new GpuFacts("Tesla K80", -1, -1, 11441, "470.82.01", "11.4");
		final BackendDecision d = BackendDecision.decide(null, k80, working());
		assertEquals(Device.CPU, d.device());
		assertTrue(d.reason().contains("does not report the compute capability"), d.reason());
	}

	@Test
	void theUserCanForceTheCpu() {
		final FakeCuda cuda = working();
		final BackendDecision d = BackendDecision.decide("CPU", RTX3080, cuda);
		assertEquals(Device.CPU, d.device());
		assertEquals(0, cuda.loads);
		assertFalse(BackendDecision.decide("tpu", RTX3080, working()).device() == Device.CUDA);
	}

	@Test
	void nvidiaSmiAnswersAreParsed() {
		final String header = "| NVIDIA-SMI 570.133.07             Driver Version: 570.133.07     " +
			"CUDA Version: 12.8     |";
		final List<GpuFacts> gpus = GpuProbe.parse("NVIDIA H100 80GB HBM3, 9.0, 81559, 570.133.07\n" +
			"NVIDIA GeForce RTX 3080, 8.6, 10240, 570.133.07\n", true, header);
		assertEquals(List.of(new GpuFacts("NVIDIA H100 80GB HBM3", 9, 0, 81559, "570.133.07", "12.8"),
			new GpuFacts("NVIDIA GeForce RTX 3080", 8, 6, 10240, "570.133.07", "12.8")), gpus);
		final List<GpuFacts> old = GpuProbe.parse("Tesla K80, 11441, 470.82.01", false, null);
		assertEquals(1, old.size());
		assertFalse(old.get(0).computeKnown());
		assertNull(old.get(0).driverCudaVersion());
		assertEquals(-1, GpuProbe.parse("Tesla T4, [N/A], 15360, 535.1", true, "").get(0).compute());
		assertEquals(List.of(), GpuProbe.parse("", true, header));
		assertEquals(List.of(), GpuProbe.parse(null, true, header));
	}

	@Test
	void thisMachineRunsOnTheCpuAndSaysWhy() {
		final BackendDecision d = NativeBackend.decision();
		assertEquals(Device.CPU, d.device(), "no GPU on the test machines, and CI's GPU-variant " +
			"build has no CUDA natives");
		assertFalse(d.reason().isBlank());
		assertTrue(NativeBackend.device().startsWith("CPU ("), NativeBackend.device());
		assertTrue(org.nd4j.linalg.factory.Nd4j.getBackend() instanceof ChosenCpuBackend, "the " +
			"backend ranked by DeepClass's decision is the one ND4J loaded: " + org.nd4j.linalg.factory
				.Nd4j.getBackend().getClass());
	}
}

// The README's picture: nuclei on a real immunohistochemistry image (scikit-image's "ihc" sample,
// Debian python3-skimage: colonic glands, FHL2 revealed with DAB, hematoxylin counterstain; no
// known copyright restrictions), found as a scientist would in ImageJ: the hematoxylin channel by
// colour deconvolution, a threshold, watershed, Analyze Particles. Then 24 of them are named by
// class, at points picked by eye on the image (12 nuclei of the glands' epithelium, in the brown
// DAB-stained cytoplasm; 12 of the stroma between the glands); the others are named "nucleus".
// Leaves the image "ihc" open with every nucleus in the ROI Manager.
// Argument: <ihc.png>
var n = 0, x = newArray(0), y = newArray(0), names = newArray(0); // the nuclei
path = getArgument();
open(path);
rename("ihc");
setBatchMode(true);
run("Duplicate...", "title=od");
run("RGB Stack");
run("32-bit");
run("Macro...", "code=v=-log(maxOf(v,1)/255) stack"); // optical density per channel
// hematoxylin = optical densities times the first column of the inverse of the H-E-DAB stain
// matrix (Ruifrok & Johnston 2001, as scikit-image's rgb2hed)
weights = newArray(1.878, -0.0659, -0.6019);
newImage("hematoxylin", "32-bit black", getWidth(), getHeight(), 1);
for (c = 1; c <= 3; c++) {
	selectWindow("od"); setSlice(c); run("Duplicate...", "title=channel");
	run("Multiply...", "value=" + weights[c - 1]);
	imageCalculator("Add 32-bit", "hematoxylin", "channel");
	close("channel");
}
close("od");
selectWindow("hematoxylin");
run("Gaussian Blur...", "sigma=1");
setAutoThreshold("Otsu dark");
setOption("BlackBackground", true);
run("Convert to Mask");
run("Fill Holes");
run("Watershed");
roiManager("reset");
run("Analyze Particles...", "size=30-600 exclude add");
close("hematoxylin");
// a person's labels: points on nuclei, picked by eye
epithelial = newArray(74,62, 81,109, 373,79, 376,131, 415,145, 372,43, 309,370, 361,411, 107,393, 113,354, 102,457, 383,101);
stromal = newArray(233,284, 210,297, 189,358, 195,382, 181,393, 173,425, 163,326, 241,448, 420,372, 443,379, 465,349, 487,228);
run("Set Measurements...", "centroid redirect=None decimal=1");
run("Clear Results");
roiManager("deselect");
roiManager("Measure");
n = nResults;
x = newArray(n); y = newArray(n); names = newArray(n);
for (i = 0; i < n; i++) { x[i] = getResult("X", i); y[i] = getResult("Y", i); names[i] = "nucleus"; }
run("Clear Results");
if (isOpen("Results")) { selectWindow("Results"); run("Close"); } // the centroids were only for this
label(epithelial, "epithelial");
label(stromal, "stromal");
for (i = 0; i < n; i++) { roiManager("select", i); roiManager("rename", names[i]); }
roiManager("deselect");
selectWindow("ihc");
run("Select None");
run("From ROI Manager"); // batch mode's ROI Manager ends with batch mode: keep them in the overlay
setBatchMode(false);
run("To ROI Manager");

function label(points, name) {
	for (p = 0; p < points.length; p += 2) {
		best = -1; bestDistance = 6;
		for (i = 0; i < n; i++) {
			d = sqrt(pow(x[i] - points[p], 2) + pow(y[i] - points[p + 1], 2));
			if (d < bestDistance && names[i] == "nucleus") { best = i; bestDistance = d; }
		}
		if (best < 0) exit("no nucleus near " + points[p] + "," + points[p + 1]);
		names[best] = name;
	}
}

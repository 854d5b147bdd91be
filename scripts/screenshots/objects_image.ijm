// The screenshots' "field of objects": twelve test images of mixed classes on one dark image,
// 12 pixels apart, each marked by a rectangle in the overlay (as a user marks cells with ROIs).
// Argument: <test folder with one sub-folder per class>
test = getArgument();
classes = newArray("T-shirt", "Trouser", "Sneaker", "Bag");
gap = 12; size = 28; columns = 4; rows = 3;
newImage("objects", "8-bit black", columns * (size + gap) + gap, rows * (size + gap) + gap, 1);
field = getImageID();
Overlay.remove;
for (i = 0; i < columns * rows; i++) {
	folder = test + "/" + classes[(i * 7 + floor(i / 4)) % 4];
	files = getFileList(folder);
	open(folder + "/" + files[i]);
	run("Select All");
	run("Copy");
	close();
	selectImage(field);
	x = gap + (i % columns) * (size + gap);
	y = gap + floor(i / columns) * (size + gap);
	makeRectangle(x, y, size, size);
	run("Paste");
	Overlay.addSelection;
}
run("Select None");
run("Set... ", "zoom=400");

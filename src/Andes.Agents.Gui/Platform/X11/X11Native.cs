using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Andes.Agents.Gui;

/// <summary>P/Invoke declarations for libX11, libXtst and libXrandr (LP64: XID, Atom, KeySym are 64-bit).</summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("freebsd")]
internal static partial class X11Native
{
    public const string LibX11 = "libX11.so.6";
    public const string LibXtst = "libXtst.so.6";
    public const string LibXrandr = "libXrandr.so.2";

    public const int ZPixmap = 2;
    public const int LsbFirst = 0;
    public static readonly nuint AllPlanes = nuint.MaxValue;

    [LibraryImport(LibX11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr XOpenDisplay(string? displayName);

    [LibraryImport(LibX11)]
    public static partial int XCloseDisplay(IntPtr display);

    [LibraryImport(LibX11)]
    public static partial int XDefaultScreen(IntPtr display);

    [LibraryImport(LibX11)]
    public static partial nuint XRootWindow(IntPtr display, int screen);

    [LibraryImport(LibX11)]
    public static partial int XDisplayWidth(IntPtr display, int screen);

    [LibraryImport(LibX11)]
    public static partial int XDisplayHeight(IntPtr display, int screen);

    [LibraryImport(LibX11)]
    public static partial IntPtr XGetImage(IntPtr display, nuint drawable, int x, int y, uint width, uint height, nuint planeMask, int format);

    [LibraryImport(LibX11)]
    public static partial int XDestroyImage(IntPtr image);

    [LibraryImport(LibX11)]
    public static partial int XFlush(IntPtr display);

    [LibraryImport(LibX11)]
    public static partial int XSync(IntPtr display, int discard);

    [LibraryImport(LibX11)]
    public static partial int XFree(IntPtr data);

    [LibraryImport(LibX11)]
    public static partial byte XKeysymToKeycode(IntPtr display, nuint keysym);

    [LibraryImport(LibX11)]
    public static partial IntPtr XGetKeyboardMapping(IntPtr display, byte firstKeycode, int keycodeCount, out int keysymsPerKeycode);

    [LibraryImport(LibX11)]
    public static unsafe partial int XChangeKeyboardMapping(IntPtr display, int firstKeycode, int keysymsPerKeycode, nuint* keysyms, int numCodes);

    [LibraryImport(LibX11)]
    public static partial int XDisplayKeycodes(IntPtr display, out int minKeycode, out int maxKeycode);

    [LibraryImport(LibX11)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool XQueryPointer(IntPtr display, nuint window, out nuint root, out nuint child, out int rootX, out int rootY, out int winX, out int winY, out uint mask);

    [LibraryImport(LibX11)]
    public static partial IntPtr XResourceManagerString(IntPtr display);

    [LibraryImport(LibX11)]
    public static partial IntPtr XGetAtomName(IntPtr display, nuint atom);

    [LibraryImport(LibX11)]
    public static unsafe partial IntPtr XSetErrorHandler(delegate* unmanaged<IntPtr, IntPtr, int> handler);

    [LibraryImport(LibXtst)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool XTestQueryExtension(IntPtr display, out int eventBase, out int errorBase, out int major, out int minor);

    [LibraryImport(LibXtst)]
    public static partial int XTestFakeMotionEvent(IntPtr display, int screen, int x, int y, nuint delay);

    [LibraryImport(LibXtst)]
    public static partial int XTestFakeButtonEvent(IntPtr display, uint button, [MarshalAs(UnmanagedType.Bool)] bool isPress, nuint delay);

    [LibraryImport(LibXtst)]
    public static partial int XTestFakeKeyEvent(IntPtr display, uint keycode, [MarshalAs(UnmanagedType.Bool)] bool isPress, nuint delay);

    [LibraryImport(LibXrandr)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool XRRQueryExtension(IntPtr display, out int eventBase, out int errorBase);

    [LibraryImport(LibXrandr)]
    public static partial IntPtr XRRGetMonitors(IntPtr display, nuint window, [MarshalAs(UnmanagedType.Bool)] bool getActive, out int count);

    [LibraryImport(LibXrandr)]
    public static partial void XRRFreeMonitors(IntPtr monitors);

    /// <summary>Xlib's XImage (the fields we read; the function table that follows is not declared).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XImage
    {
        public int Width;
        public int Height;
        public int XOffset;
        public int Format;
        public IntPtr Data;
        public int ByteOrder;
        public int BitmapUnit;
        public int BitmapBitOrder;
        public int BitmapPad;
        public int Depth;
        public int BytesPerLine;
        public int BitsPerPixel;
        public nuint RedMask;
        public nuint GreenMask;
        public nuint BlueMask;
    }

    /// <summary>XRandR's XRRMonitorInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XRRMonitorInfo
    {
        public nuint Name;
        public int Primary;
        public int Automatic;
        public int NOutput;
        public int X;
        public int Y;
        public int Width;
        public int Height;
        public int MWidth;
        public int MHeight;
        public IntPtr Outputs;
    }
}

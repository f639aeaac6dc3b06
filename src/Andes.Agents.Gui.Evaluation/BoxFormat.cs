using Andes.Agents.Gui;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>How a dataset writes its boxes.</summary>
public enum BoxFormat
{
    /// <summary>Decide from the data (see <see cref="GroundingDataset.Load"/>).</summary>
    Auto,

    /// <summary>[x, y, width, height]: the original ScreenSpot and ScreenSpot-v2 files.</summary>
    Xywh,

    /// <summary>[x1, y1, x2, y2]: ScreenSpot-Pro, AndesUI and most re-exports.</summary>
    Xyxy,
}

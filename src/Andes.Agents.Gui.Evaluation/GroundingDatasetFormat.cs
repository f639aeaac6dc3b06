using Andes.Agents.Gui;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>The annotation file layout of a grounding dataset.</summary>
public enum GroundingDatasetFormat
{
    /// <summary>Detect from the first record's fields.</summary>
    Auto,

    /// <summary>
    /// ScreenSpot / ScreenSpot-v2 / ScreenSpot-Pro: a JSON list of <c>{img_filename, bbox, instruction, data_type,
    /// data_source, platform?}</c>.
    /// </summary>
    ScreenSpot,

    /// <summary>AndesUI grounding: a JSON list (or JSON lines) of <c>{question, imgpath, bbox}</c> (bbox x1,y1,x2,y2 in pixels).</summary>
    AndesUI,
}
